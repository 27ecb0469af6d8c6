import { newEvent, type EventEnvelope, type LeadUpsertedDataV2 } from '@crm/events';
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
