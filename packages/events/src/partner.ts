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
import { EVENT_DOMAINS, EVENT_TYPES, type PartnerInboundMessageV1 } from './generated/schemas.generated';

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
  /** the IANA zone a source's timestamps without an offset are in (default Europe/Paris) */
  timeZone?: (source: string) => string;
}

export const DEFAULT_PARTNER_TIME_ZONE = 'Europe/Paris';

/** the partners' message types, as the schemas declare them (domain partner) */
const PARTNER_TYPES: readonly string[] = EVENT_TYPES.filter((t) => EVENT_DOMAINS[t] === 'partner');

/**
 * What a partner sends as the same value, written as partner-inbound.v1 wants it, before its
 * shape is checked (anything else is left for the check to refuse):
 * - `type` in any case ("call_requested");
 * - `timestamp` as a number (epoch milliseconds, or seconds below 10^11), or as a wall-clock time
 *   with no offset ("2026-12-08 04:30:00", "2026-12-08T04:30"), read in the source's zone
 *   (`timeZone`, Europe/Paris by default): an ISO 8601 instant in UTC.
 * `source` is left as sent: it names the key that authenticates the partner and the event's id.
 */
export function tidyPartnerMessage(candidate: unknown, options: PartnerDecodeOptions = {}): unknown {
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) return candidate;
  const message = { ...(candidate as Record<string, unknown>) };
  if (typeof message.type === 'string') {
    const type = message.type.trim().toUpperCase();
    if (PARTNER_TYPES.includes(type)) message.type = type;
  }
  const source = typeof message.source === 'string' ? message.source : '';
  const instant = instantOf(message.timestamp, options.timeZone?.(source) ?? DEFAULT_PARTNER_TIME_ZONE);
  if (instant) message.timestamp = instant;
  return message;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/** An epoch number or a wall-clock time with no offset, as an ISO instant; null otherwise. */
function instantOf(value: unknown, timeZone: string): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return null;
    const at = new Date(value < 1e11 ? value * 1000 : value);
    return Number.isNaN(at.getTime()) ? null : at.toISOString();
  }
  if (typeof value !== 'string') return null;
  const m = WALL_CLOCK.exec(value.trim());
  if (!m) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const wall = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), Number((m[7] ?? '0').padEnd(3, '0')));
  const back = new Date(wall);
  // "2026-02-30" or "25:00" is no time: left for the check to refuse
  if (back.getUTCDate() !== n(3) || back.getUTCHours() !== n(4) || back.getUTCMinutes() !== n(5)) return null;
  // the zone's offset at that wall time: from a first guess, then corrected once
  let guess = wall;
  for (let i = 0; i < 2; i += 1) guess = wall - offsetMs(guess, timeZone);
  return new Date(guess).toISOString();
}

/** One formatter per zone (a source's configured zone, a handful at most): built once, reused. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClocks.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
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
