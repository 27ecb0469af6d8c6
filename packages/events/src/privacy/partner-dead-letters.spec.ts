// The partners' dead letters sealed (no I/O): whose key a letter goes under, the record given back
// whole by its key, nothing of it in clear, erased once the key is gone, and which days' keys are
// past the dead-letter topic's retention.
import type { EntityManager } from 'typeorm';
import { partnerMessageKey } from '../partner';
import type { DeliveredMessage } from '../transport/transport';
import { memoryKeys } from './memory-keys.fixture';
import {
  deadLetterSubject,
  expiredUnidentifiedSubjects,
  openPartnerDeadLetter,
  sealPartnerDeadLetter,
  SEALED_BY_HEADER,
  SEALED_SUBJECT_HEADER,
} from './partner-dead-letters';
import type { EventKeys } from './sealing';

const AT = new Date('2026-03-05T17:45:00.000Z');
const DAY = 86_400_000;
const manager = {} as EntityManager;
const EMAIL = 'Canari.Lettre@Example.FR';
const DIGEST = partnerMessageKey('canari.lettre@example.fr');

function delivered(value: string | null, key: string | null = null): DeliveredMessage {
  return {
    topic: 'crm.partner.inbound.v1',
    partition: 1,
    offset: '7',
    key,
    value: value === null ? null : Buffer.from(value),
    headers: { 'x-partner-trace': 'Canari Lettre 06 12 34 56 78' },
  };
}

const readerOf = (keys: ReturnType<typeof memoryKeys>) => (subject: string) =>
  keys.eventKeys.reader('claims', subject);

describe("a partner dead letter's subject", () => {
  it('is the person of its e-mail, by the digest partners key his messages with', () => {
    const value = JSON.stringify({ type: 'AUDIT_COMPLETED', email: ` ${EMAIL} ` });
    expect(deadLetterSubject(delivered(value), AT)).toBe(`partner:${DIGEST}`);
    // an e-mail in an otherwise broken message still names him
    expect(deadLetterSubject(delivered(JSON.stringify({ email: EMAIL, payload: 3 })), AT)).toBe(
      `partner:${DIGEST}`,
    );
  });

  it("is the key's person when the value names nobody: the digest, or an e-mail used as key", () => {
    expect(deadLetterSubject(delivered('{ not json', DIGEST), AT)).toBe(`partner:${DIGEST}`);
    expect(deadLetterSubject(delivered('{ not json', EMAIL), AT)).toBe(`partner:${DIGEST}`);
    expect(deadLetterSubject(delivered(JSON.stringify({ email: 'not an address' }), EMAIL), AT)).toBe(
      `partner:${DIGEST}`,
    );
  });

  it("is the day's when nothing names a person", () => {
    expect(deadLetterSubject(delivered('{ not json', 'partner-key-1'), AT)).toBe(
      'partner-unidentified:2026-03-05',
    );
    expect(deadLetterSubject(delivered(null), AT)).toBe('partner-unidentified:2026-03-05');
    expect(deadLetterSubject(delivered('[1, 2]', DIGEST.toUpperCase()), AT)).toBe(
      'partner-unidentified:2026-03-05',
    );
  });
});

describe('sealing and opening a partner dead letter', () => {
  it('keeps nothing of the record in clear and gives it back whole', async () => {
    const keys = memoryKeys('claims');
    const value = JSON.stringify({
      type: 'CALL_REQUESTED',
      email: EMAIL,
      payload: { notes: 'Canari Lettre' },
    });
    const sealed = await sealPartnerDeadLetter(
      delivered(value, EMAIL),
      keys.eventKeys,
      manager,
      'claims',
      AT,
    );
    expect(sealed.key).toBe(DIGEST);
    expect(sealed.headers).toEqual({
      [SEALED_SUBJECT_HEADER]: `partner:${DIGEST}`,
      [SEALED_BY_HEADER]: 'claims',
    });
    expect(JSON.stringify(sealed)).not.toMatch(/canari|06 12/i);
    expect(await openPartnerDeadLetter(sealed, readerOf(keys))).toEqual({
      key: EMAIL,
      value,
      headers: { 'x-partner-trace': 'Canari Lettre 06 12 34 56 78' },
    });
  });

  it('opens to erased once its key is shredded, and refuses a text moved onto another subject', async () => {
    const keys = memoryKeys('claims');
    const mine = await sealPartnerDeadLetter(
      delivered('{ not json', EMAIL),
      keys.eventKeys,
      manager,
      'claims',
      AT,
    );
    const other = await sealPartnerDeadLetter(
      delivered('{ not json', 'autre@example.fr'),
      keys.eventKeys,
      manager,
      'claims',
      AT,
    );
    // another person's ciphertext under my subject does not authenticate
    await expect(openPartnerDeadLetter({ ...mine, value: other.value }, readerOf(keys))).rejects.toThrow();
    keys.keys.delete(`partner:${DIGEST}`);
    expect(await openPartnerDeadLetter(mine, readerOf(keys))).toBe('erased');
  });

  it("goes under the day's key for a person already erased (no key is made for him again)", async () => {
    const { eventKeys } = memoryKeys('claims');
    const refusing: EventKeys = {
      ...eventKeys,
      writer: (subject, m) =>
        subject.startsWith('partner:')
          ? Promise.reject(Object.assign(new Error('shredded'), { code: 'PRIVACY.SUBJECT_ERASED' }))
          : eventKeys.writer(subject, m),
    };
    const sealed = await sealPartnerDeadLetter(delivered('{ x', EMAIL), refusing, manager, 'claims', AT);
    expect(sealed).toMatchObject({
      key: '',
      headers: { [SEALED_SUBJECT_HEADER]: 'partner-unidentified:2026-03-05' },
    });
    expect(sealed.value).not.toContain('{ x');
    // any other failure is not hidden: the batch fails and the message comes back
    const broken: EventKeys = { ...eventKeys, writer: () => Promise.reject(new Error('database down')) };
    await expect(
      sealPartnerDeadLetter(delivered('{ x', EMAIL), broken, manager, 'claims', AT),
    ).rejects.toThrow('database down');
  });

  it('gives a letter written before sealing back as it is, without the dead-letter headers', async () => {
    const keys = memoryKeys('claims');
    const clear = { key: 'k', value: '{ old', headers: { 'dlq-error-code': 'EVENT.MALFORMED', 'x-a': '1' } };
    expect(await openPartnerDeadLetter(clear, readerOf(keys))).toEqual({
      key: 'k',
      value: '{ old',
      headers: { 'x-a': '1' },
    });
  });
});

describe('the days whose unidentified dead letters are past retention', () => {
  it('starts with the last day all of whose letters are older than the retention', () => {
    const retention = 14 * DAY;
    // 2026-03-20T10:00Z minus 14 days is 2026-03-06T10:00Z: 03-05's letters are all older, 03-06's not
    expect(expiredUnidentifiedSubjects(new Date('2026-03-20T10:00:00Z'), retention, 3)).toEqual([
      'partner-unidentified:2026-03-05',
      'partner-unidentified:2026-03-04',
      'partner-unidentified:2026-03-03',
    ]);
    // until the end of 03-20 it is still 03-05; at midnight the whole of 03-06 is past too
    expect(expiredUnidentifiedSubjects(new Date('2026-03-20T23:59:59.999Z'), retention, 1)).toEqual([
      'partner-unidentified:2026-03-05',
    ]);
    expect(expiredUnidentifiedSubjects(new Date('2026-03-21T00:00:00.000Z'), retention, 1)).toEqual([
      'partner-unidentified:2026-03-06',
    ]);
  });
});
