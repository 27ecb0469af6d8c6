// The partners' dead letters (docs/privacy.md, Events): a partner message the CRM could not
// apply is kept on the partner topic's dead-letter topic for a person to repair and replay. It is
// the partner's own format, so nothing in it was sealed: the consumer seals the whole record
// (key, value, headers) before it is written there, under a data key of the person it names.
// Erasing that person shreds the key (claims, on LeadErased / ClientErased: partnerKey), and
// every copy of the dead letter on the broker, in its replicas and in backups reads as erased.
import { normalizeEmail } from '@crm/contact';
import type { EntityManager } from 'typeorm';
import { EventError } from '../errors';
import { partnerMessageKey } from '../partner';
import type { DeliveredMessage } from '../transport/transport';
import type { EventFieldReader, EventKeys } from './sealing';

/** The sealed field's name (bound into the ciphertext: a sealed text moved elsewhere does not open). */
export const PARTNER_DEAD_LETTER_FIELD = 'partner.dead-letter';
/** The dead letter's header naming the key's subject, and the service whose vault holds it. */
export const SEALED_SUBJECT_HEADER = 'dlq-sealed-subject';
export const SEALED_BY_HEADER = 'dlq-sealed-by';

const PERSON_PREFIX = 'partner:';
const UNIDENTIFIED_PREFIX = 'partner-unidentified:';
const DIGEST = /^[0-9a-f]{64}$/;

/**
 * The key subject of a person's partner data: `partner:` and the SHA-256 of his normalized
 * e-mail, the Kafka key partners are asked to use (partnerMessageKey). identity puts the same
 * digest in LeadErased and ClientErased (partnerKey), so claims can shred it.
 */
export const partnerSubject = (digest: string): string => `${PERSON_PREFIX}${digest}`;

/**
 * A dead letter that names nobody (not JSON, no readable e-mail, a key that is not the digest):
 * sealed under the day's key, which claims shreds once the dead-letter topic's retention has
 * passed, so such a letter cannot outlive it in a copy either.
 */
export const unidentifiedSubject = (at: Date): string =>
  `${UNIDENTIFIED_PREFIX}${at.toISOString().slice(0, 10)}`;

/** The days' subjects whose dead letters are all past `retentionMs` at `now`, newest first, `days` of them. */
export function expiredUnidentifiedSubjects(now: Date, retentionMs: number, days: number): string[] {
  const DAY = 86_400_000;
  // a day's letters are all expired once its last millisecond is older than the retention
  const firstExpired = Math.floor((now.getTime() - retentionMs) / DAY) * DAY - DAY;
  return Array.from({ length: days }, (_, i) => unidentifiedSubject(new Date(firstExpired - i * DAY)));
}

/**
 * Whose dead letter this is: the person its e-mail names; else its key's, when the key is the
 * digest partners are asked to use or (a partner who did not) an e-mail; else the day's.
 */
export function deadLetterSubject(message: Pick<DeliveredMessage, 'key' | 'value'>, at: Date): string {
  const email = emailIn(message.value) ?? (message.key === null ? null : normalizeEmail(message.key, 200));
  if (email !== null) return partnerSubject(partnerMessageKey(email));
  if (message.key !== null && DIGEST.test(message.key)) return partnerSubject(message.key);
  return unidentifiedSubject(at);
}

function emailIn(value: Buffer | null): string | null {
  if (value === null) return null;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const email = (parsed as { email?: unknown }).email;
    return typeof email === 'string' ? normalizeEmail(email, 200) : null;
  } catch {
    return null;
  }
}

/** What the dead-letter topic receives for a partner message: the record sealed, nothing in clear. */
export interface SealedDeadLetter {
  /** the person's digest (one person's letters stay in order), '' for an unidentified one */
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The record as the partner sent it, which `openPartnerDeadLetter` gives back. */
export interface PartnerRecord {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/**
 * Seals a partner message for its dead-letter topic under its person's key in `service`'s vault.
 * A person already erased gets no new key: the letter goes under the day's key (it may name him,
 * and then it is shredded with that day).
 */
export async function sealPartnerDeadLetter(
  message: DeliveredMessage,
  keys: EventKeys,
  manager: EntityManager,
  service: string,
  at: Date,
): Promise<SealedDeadLetter> {
  const original: PartnerRecord = {
    key: message.key,
    value: message.value ? message.value.toString('utf8') : '',
    headers: message.headers,
  };
  let subject = deadLetterSubject(message, at);
  let writer;
  try {
    writer = await keys.writer(subject, manager);
  } catch (err) {
    // @crm/privacy's SubjectErasedError: the person was erased, no key is made for him again
    if ((err as { code?: unknown }).code !== 'PRIVACY.SUBJECT_ERASED') throw err;
    subject = unidentifiedSubject(at);
    writer = await keys.writer(subject, manager);
  }
  return {
    key: subject.startsWith(PERSON_PREFIX) ? subject.slice(PERSON_PREFIX.length) : '',
    value: writer.encrypt(PARTNER_DEAD_LETTER_FIELD, JSON.stringify(original)),
    headers: { [SEALED_SUBJECT_HEADER]: subject, [SEALED_BY_HEADER]: service },
  };
}

/**
 * A sealed dead letter opened with the key of its subject (`reader`: the vault of the service in
 * its `dlq-sealed-by` header); 'erased' once that key was shredded. A record that is not sealed
 * (written before dead letters were) is returned as it is.
 */
export async function openPartnerDeadLetter(
  record: { key: string | null; value: string; headers: Record<string, string> },
  reader: (subject: string) => Promise<EventFieldReader | 'erased'>,
): Promise<PartnerRecord | 'erased'> {
  const subject = record.headers[SEALED_SUBJECT_HEADER];
  if (subject === undefined) {
    const headers = Object.fromEntries(Object.entries(record.headers).filter(([k]) => !k.startsWith('dlq-')));
    return { key: record.key, value: record.value, headers };
  }
  const opened = await reader(subject);
  if (opened === 'erased') return 'erased';
  const parsed = JSON.parse(opened.decrypt(PARTNER_DEAD_LETTER_FIELD, record.value)) as PartnerRecord;
  if (typeof parsed.value !== 'string' || typeof parsed.headers !== 'object' || parsed.headers === null)
    throw new EventError('EVENT.MALFORMED', `dead letter sealed under ${subject}: not a partner record`);
  return parsed;
}
