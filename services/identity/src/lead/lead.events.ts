import { newEvent, type EventEnvelope, type LeadUpsertedDataV1 } from '@crm/events';
import type { CommandMeta } from '../shared/command';
import type { LeadState } from './lead.rules';

export function leadUpserted(
  lead: LeadState,
  created: boolean,
  meta: CommandMeta,
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
  return newEvent('LeadUpserted', data, {
    source: 'identity',
    // seed 2: the lead's id is its lower-case e-mail; all events of one person stay in order
    subject: lead.email,
    actor: meta.actor,
    occurredAt: at,
    ...(meta.correlationId ? { correlationId: meta.correlationId } : {}),
    ...(meta.causationId ? { causationId: meta.causationId } : {}),
  });
}
