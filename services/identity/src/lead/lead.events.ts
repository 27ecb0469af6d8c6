import {
  newEvent,
  partnerMessageKey,
  type EventEnvelope,
  type LeadErasedDataV2,
  type LeadUpsertedDataV2,
} from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import type { LeadState } from './lead.rules';

export function leadUpserted(
  /** the lead's record: the event's key, and the subject of the key its words are sealed under */
  id: string,
  lead: LeadState,
  created: boolean,
  caller: Caller,
  at: Date,
): EventEnvelope<'LeadUpserted'> {
  const data: LeadUpsertedDataV2 = {
    leadRecordId: id,
    email: lead.email,
    source: lead.source,
    created,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
  if (lead.phone !== null) data.phone = lead.phone;
  if (lead.name !== null) data.name = lead.name;
  // keyed by the lead's record, not its e-mail (seed 2's lead id): a Kafka key is never sealed;
  // one record per e-mail, so all events of one person still stay in order
  return newEvent('LeadUpserted', data, eventOptions(caller, 'identity', id, at));
}

/**
 * One event of a lead's erasure (GDPR): claims and escalation drop what they hold of these
 * cases, and claims the partners' dead letters of the e-mail (partnerKey, its digest). `caseIds`:
 * one chunk of the lead's cases (caseChunks); `clientId` when the erasure was the client's of the
 * lead's e-mail. Ids and a digest only, nothing of the person.
 */
export function leadErased(
  id: string,
  email: string,
  caseIds: string[],
  clientId: string | null,
  caller: Caller,
  at: Date,
): EventEnvelope<'LeadErased'> {
  const data: LeadErasedDataV2 = {
    leadRecordId: id,
    caseIds,
    partnerKey: partnerMessageKey(email),
    erasedAt: at.toISOString(),
    reason: 'GDPR_REQUEST',
  };
  if (clientId !== null) data.clientId = clientId;
  // keyed by the lead's record, as its LeadUpserted events
  return newEvent('LeadErased', data, eventOptions(caller, 'identity', id, at));
}
