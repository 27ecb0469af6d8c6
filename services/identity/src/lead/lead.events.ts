import { newEvent, type EventEnvelope, type LeadUpsertedDataV1 } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import type { LeadState } from './lead.rules';

export function leadUpserted(
  lead: LeadState,
  created: boolean,
  caller: Caller,
  at: Date,
): EventEnvelope<'LeadUpserted'> {
  const data: LeadUpsertedDataV1 = {
    email: lead.email,
    source: lead.source,
    created,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
  if (lead.phone !== null) data.phone = lead.phone;
  if (lead.name !== null) data.name = lead.name;
  // seed 2: the lead's id is its lower-case e-mail; all events of one person stay in order
  return newEvent('LeadUpserted', data, eventOptions(caller, 'identity', lead.email, at));
}
