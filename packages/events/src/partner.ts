// Seed 2's data flow, steps 1-2: a partner sends its payload in its own format
// (partner-inbound.v1.json) and the backend normalizes the person's identity before anything
// else reads it. The identity rules are @crm/contact's, the same everywhere an identity enters
// (partner topic, backfill, identity's own mutations). Pure: a message in, an envelope out.
import { createHash } from 'node:crypto';
import {
  DEFAULT_PHONE_REGION,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
  type PhoneRegion,
} from '@crm/contact';
import { partnerEventId, type EventEnvelope, type PartnerEventType } from './envelope';
import { EventError } from './errors';
import type { PartnerInboundMessageV1 } from './generated/schemas.generated';

/**
 * The Kafka key of a partner message: the SHA-256 (hex) of the person's normalized e-mail, so one
 * person's messages keep their order (one partition) without his e-mail being a key in clear.
 * What the gateway's POST /api/v1/events uses, and what partners publishing on Kafka are asked
 * to use (docs/events.md); the consumer reads the person from the message, not from the key.
 */
export function partnerMessageKey(normalizedEmail: string): string {
  return createHash('sha256').update(normalizedEmail, 'utf8').digest('hex');
}

/** How partner messages are read; a service gives its configuration. */
export interface PartnerDecodeOptions {
  /** the region a source's national phone numbers are read in (default FR for every source) */
  phoneRegion?: (source: string) => PhoneRegion;
}

/** One identity field the CRM could not read: the event is applied without it. */
export interface IdentityNote {
  field: 'phone';
  code: 'PHONE.UNREADABLE';
  /** the value as sent (cut to 100 characters) */
  received: string;
  region?: string;
}

const RECEIVED_MAX = 100;

/**
 * A partner's message, shape-checked against partner-inbound.v1.json, as an envelope with the
 * person normalized: e-mail trimmed and lower-cased (the lead key, and the subject, so one
 * person's events are applied in order), phone in E.164, name normalized. An unreadable phone
 * is left out and noted (`identity_notes`); a message with no usable e-mail cannot be a person
 * and is refused with EVENT.NO_IDENTITY (dead-lettered with that reason).
 */
export function fromPartnerMessage(
  message: PartnerInboundMessageV1,
  options: PartnerDecodeOptions = {},
): EventEnvelope<PartnerEventType> {
  const email = normalizeEmail(message.email);
  if (email === null) {
    throw new EventError(
      'EVENT.NO_IDENTITY',
      'partner message: the e-mail is not an address a person can be known by (none, malformed, or over 200 characters)',
    );
  }
  const notes: IdentityNote[] = [];
  let phone: string | null = null;
  if (message.phone !== undefined && message.phone.trim() !== '') {
    const region = options.phoneRegion?.(message.source) ?? DEFAULT_PHONE_REGION;
    phone = normalizePhone(message.phone, region);
    if (phone === null) {
      notes.push({
        field: 'phone',
        code: 'PHONE.UNREADABLE',
        received: message.phone.slice(0, RECEIVED_MAX),
        region,
      });
    }
  }
  const name = message.name === undefined ? null : normalizePersonName(message.name);

  const id = partnerEventId(message.source, message.source_id);
  const data: Record<string, unknown> = {
    source_id: message.source_id,
    email,
    intent: message.intent,
    site_id: message.site_id,
    timestamp: message.timestamp,
    payload: message.payload,
  };
  if (phone !== null) data.phone = phone;
  if (name !== null) data.name = name;
  if (message.summary !== undefined) data.summary = message.summary;
  if (notes.length) data.identity_notes = notes;
  return {
    id,
    type: message.type,
    version: 1,
    source: message.source,
    subject: email,
    occurredAt: new Date(message.timestamp).toISOString(),
    correlationId: id,
    causationId: null,
    actor: { kind: 'partner', id: message.source },
    data,
  } as unknown as EventEnvelope<PartnerEventType>;
}

/** The identity notes a decoded event carries (none for our own events). */
export function identityNotesOf(event: { data: unknown }): readonly IdentityNote[] {
  const notes = (event.data as { identity_notes?: unknown } | null)?.identity_notes;
  return Array.isArray(notes) ? (notes as IdentityNote[]) : [];
}
