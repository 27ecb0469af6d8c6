// The partners' dead letters at rest (issue 18): a partner message claims cannot apply goes to the
// dead-letter topic sealed under a key of claims' vault (its person's, or the day's when it names
// nobody), opens back to the record as sent, and can no longer be opened once its person is
// erased (LeadErased v2 or ClientErased v3: partnerKey) or, for the day's letters, once the topic's
// retention is past. Real PostgreSQL and vault, in-process transport.
import { randomUUID } from 'node:crypto';
import {
  newEvent,
  partnerMessageKey,
  SEALED_SUBJECT_HEADER,
  type DeliveredMessage,
  type PartnerRecord,
} from '@crm/events';
import { vaultOf } from '@crm/subgraph';
import { perFile, waitFor } from '@crm/testing';
import { startClaims } from '../../test/harness';
import { partnerMessage } from '../../test/partner';
import { ERASURE_CONSUMER } from '../erasure/erasure.consumer';
import {
  openDeadLetter,
  partnerDeadLetterRetentionMs,
  purgeUnidentifiedDeadLetters,
} from './partner-dead-letters';
import { partnerInboundTopic } from './partner.consumer';

const h = perFile(() => startClaims('claims_partner_dead_letters'));

const dlq = () => `${partnerInboundTopic(h.service.runtime)}.dlq`;
const vault = () => vaultOf(h.service.runtime);
const DAY = 86_400_000;

/** Sends raw records on the partner topic and returns their dead letters, once written. */
async function deadLettersOf(
  ...records: { key: string; value: string; headers?: Record<string, string> }[]
): Promise<DeliveredMessage[]> {
  const before = h.transport.records(dlq()).length;
  await h.transport.send(
    records.map((r) => ({ topic: partnerInboundTopic(h.service.runtime), headers: {}, ...r })),
  );
  return waitFor(`${records.length} dead letters`, () => {
    const all = h.transport.records(dlq());
    return all.length >= before + records.length ? all.slice(before) : undefined;
  });
}

const asRecord = (m: DeliveredMessage) => ({
  key: m.key,
  value: m.value?.toString('utf8') ?? '',
  headers: m.headers,
});
const opened = (m: DeliveredMessage): Promise<PartnerRecord | 'erased'> =>
  openDeadLetter(vault(), asRecord(m));

async function deliver<E extends { id: string }>(event: E): Promise<void> {
  await h.send(event as never);
  await h.processed(ERASURE_CONSUMER, event.id);
}

it("seals a refused message under its person's key: nothing of it in clear, opened back as sent", async () => {
  const canary = `canari-${randomUUID().slice(0, 8)}`;
  const email = `${canary}@example.fr`;
  // a valid shape but no intent (required), a readable e-mail: the person is known
  const { intent: _dropped, ...withoutIntent } = partnerMessage('CALL_REQUESTED', {
    email: email.toUpperCase(),
    name: `Jean ${canary}`,
  });
  const value = JSON.stringify(withoutIntent);
  const [letter] = await deadLettersOf({ key: email, value, headers: { 'x-trace': canary } });
  expect(letter!.headers).toMatchObject({
    'dlq-error-code': 'EVENT.INVALID_SCHEMA',
    'dlq-sealed-by': 'claims',
    [SEALED_SUBJECT_HEADER]: `partner:${partnerMessageKey(email)}`,
  });
  // the key is the digest, not the e-mail the partner used as key
  expect(letter!.key).toBe(partnerMessageKey(email));
  expect(JSON.stringify(asRecord(letter!))).not.toContain(canary);
  expect(await opened(letter!)).toEqual({ key: email, value, headers: { 'x-trace': canary } });
});

it("a lead's erasure (LeadErased v2) shreds his dead letters' key and proves it", async () => {
  const email = `efface-${randomUUID().slice(0, 8)}@example.fr`;
  const [letter] = await deadLettersOf({ key: '', value: JSON.stringify({ email, type: 'NOT_A_TYPE' }) });
  expect(await opened(letter!)).not.toBe('erased');

  const leadRecordId = randomUUID();
  const erasure = newEvent(
    'LeadErased',
    {
      leadRecordId,
      caseIds: [],
      partnerKey: partnerMessageKey(email),
      erasedAt: '2026-03-02T09:00:00.000Z',
      reason: 'GDPR_REQUEST',
    },
    { source: 'identity', subject: leadRecordId, actor: { kind: 'advisor', id: randomUUID() } },
  );
  await deliver(erasure);
  expect(await opened(letter!)).toBe('erased');
  const proofs = (await h.outbox())
    .filter((r) => r.event_type === 'LeadCasesErased')
    .map((r) => r.payload.data as { erasureEventId: string });
  const proof = proofs.find((d) => d.erasureEventId === erasure.id);
  expect(proof).toMatchObject({ leadRecordId, items: 1 });

  // a later refused message of his: no key is made for him again, it goes under the day's key
  const [later] = await deadLettersOf({ key: '', value: JSON.stringify({ email, type: 'NOT_A_TYPE' }) });
  expect(later!.headers[SEALED_SUBJECT_HEADER]).toMatch(/^partner-unidentified:\d{4}-\d{2}-\d{2}$/);
  expect(later!.value!.toString()).not.toContain(email);
});

it("a client's erasure (ClientErased v3) shreds the dead letters of the e-mail he had", async () => {
  const email = `client-${randomUUID().slice(0, 8)}@example.fr`;
  const clientId = randomUUID();
  const [letter] = await deadLettersOf({ key: partnerMessageKey(email), value: '{ pas du json' });
  expect(letter!.headers[SEALED_SUBJECT_HEADER]).toBe(`partner:${partnerMessageKey(email)}`);
  expect(await opened(letter!)).toMatchObject({ value: '{ pas du json' });
  await deliver(
    newEvent(
      'ClientErased',
      {
        clientId,
        contractIds: [],
        partnerKey: partnerMessageKey(email),
        erasedAt: '2026-03-02T09:00:00.000Z',
        reason: 'GDPR_REQUEST',
      },
      { source: 'identity', subject: clientId, actor: { kind: 'advisor', id: randomUUID() } },
    ),
  );
  expect(await opened(letter!)).toBe('erased');
});

it("seals a letter naming nobody under the day's key, shredded once the topic's retention is past", async () => {
  const canary = `personne-${randomUUID().slice(0, 8)}`;
  const [letter] = await deadLettersOf({ key: 'cle-quelconque', value: `{ ${canary}` });
  const subject = letter!.headers[SEALED_SUBJECT_HEADER]!;
  expect(subject).toMatch(/^partner-unidentified:\d{4}-\d{2}-\d{2}$/);
  expect(letter!.key).toBe('');
  expect(letter!.value!.toString()).not.toContain(canary);
  expect(await opened(letter!)).toMatchObject({ key: 'cle-quelconque', value: `{ ${canary}` });

  const retention = partnerDeadLetterRetentionMs(h.service.runtime);
  expect(retention).toBe(14 * DAY);
  const dayEnds = new Date(`${subject.slice(-10)}T00:00:00.000Z`).getTime() + DAY;
  // a millisecond before the day's last letter passes the retention: kept
  expect(await purgeUnidentifiedDeadLetters(vault(), new Date(dayEnds + retention - 1), retention)).toBe(0);
  expect(await opened(letter!)).not.toBe('erased');
  expect(await purgeUnidentifiedDeadLetters(vault(), new Date(dayEnds + retention), retention)).toBe(1);
  expect(await opened(letter!)).toBe('erased');
  // done once
  expect(await purgeUnidentifiedDeadLetters(vault(), new Date(dayEnds + retention + DAY), retention)).toBe(0);
  // the service runs it: a tick at start, then hourly
  expect(h.service.parts.deadLetterPurge.count).toBeGreaterThanOrEqual(1);
});
