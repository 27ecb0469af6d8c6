// ClientErased (consumer escalation.erasure): the erased client's queue entries lose what was
// written about him (the call-back number he gave, the request's details, the advisors'
// resolution text) and keep the rest; another client's entries keep theirs. Real PostgreSQL,
// in-process transport, pinned clock.
import { randomUUID } from 'node:crypto';
import { newEvent } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import { ERASURE_CONSUMER, REQUESTS_CONSUMER } from '../service';
import { startHarness, type Harness } from '../../test/harness';
import { EscalationEntity, type CallRequestDetails } from './escalation.entity';

const T0 = new Date('2031-05-12T09:00:00.000Z');

const h = perFile(() => startHarness('escalation_erasure', { clock: () => new Date(T0.getTime()) }));

const actor = { kind: 'bot', id: 'conversation' } as const;

/** the bot hands `clientId`'s conversation to an advisor; nobody takes it; a call-back is offered */
async function waitingWithCallBack(clientId: string, phone: string): Promise<string> {
  const conversationId = randomUUID();
  const handoff = newEvent(
    'HandoffRequested',
    {
      conversationId,
      claimId: null,
      clientId,
      reason: 'CLIENT_REQUEST',
      phase: 'description',
      collected: {},
      requestedAt: T0.toISOString(),
    },
    { source: 'conversation', subject: conversationId, actor },
  );
  await deliver(REQUESTS_CONSUMER, handoff);
  const offer = newEvent(
    'CallBackOffered',
    {
      conversationId,
      phone,
      callBackBy: new Date(T0.getTime() + 7_200_000).toISOString(),
      offeredAt: T0.toISOString(),
    },
    { source: 'conversation', subject: conversationId, actor },
  );
  await deliver('escalation.conversation', offer);
  // details written through the repository: sealed (the table refuses clear words)
  const { repository } = h.service.parts.escalations;
  await h.service.runtime.dataSource.transaction(async (tx) => {
    const entry = (await repository.findOpenByConversation(tx, conversationId))!;
    entry.details = { note: `rappeler ${phone} après 18h` } as unknown as CallRequestDetails;
    await repository.save(tx, entry);
  });
  return conversationId;
}

async function deliver(consumer: string, ...events: { id: string }[]): Promise<void> {
  await h.send(...(events as Parameters<Harness['send']>));
  const ids = events.map((e) => e.id);
  await waitFor(`${ids.length} events applied by ${consumer}`, async () => {
    return (await h.processedCount(consumer, ids)) === ids.length;
  });
}

interface Row {
  statut: string;
  raisons: unknown;
  rappel_propose_telephone: string | null;
  rappel_propose_le: Date | null;
  details: unknown;
}
/** the entry as stored (its words sealed) */
const entryOf = async (conversationId: string) =>
  (
    await h.query<Row & { id: string }>(`select * from escalades where conversation_id = $1`, [
      conversationId,
    ])
  )[0]!;
/** the entry as the service reads it */
const openedOf = async (conversationId: string) =>
  (await h.service.parts.escalations.repository.findByIds([(await entryOf(conversationId)).id]))[0]!;

describe('ClientErased (consumer escalation.erasure)', () => {
  it("empties what the erased client's entries say about him, and only his", async () => {
    const [erased, kept] = [randomUUID(), randomUUID()];
    const his = await waitingWithCallBack(erased, '+33611111111');
    const theirs = await waitingWithCallBack(kept, '+33622222222');
    const before = await entryOf(his);
    // sealed at rest (issue 18), readable through the service
    expect(JSON.stringify(before)).not.toContain('611111111');
    expect(await openedOf(his)).toMatchObject({
      offeredCallBackPhone: '+33611111111',
      details: { note: 'rappeler +33611111111 après 18h' },
    });

    const erasure = newEvent(
      'ClientErased',
      { clientId: erased, contractIds: [], erasedAt: T0.toISOString(), reason: 'GDPR_REQUEST' },
      { source: 'identity', subject: erased, actor: { kind: 'advisor', id: randomUUID() } },
    );
    await deliver(ERASURE_CONSUMER, erasure);

    const after = await entryOf(his);
    expect(after).toMatchObject({
      rappel_propose_telephone: null,
      details: null,
      // the queue's record stays: still waiting, when the call-back was offered, why
      statut: before.statut,
      rappel_propose_le: before.rappel_propose_le,
      raisons: before.raisons,
    });
    // its proof for identity, committed with the erasure: one entry emptied
    expect((await h.outbox(erased)).filter((e) => e.event_type === 'EscalationEntriesErased')).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          data: expect.objectContaining({ clientId: erased, erasureEventId: erasure.id, items: 1 }),
        }),
      }),
    ]);
    // his row as stored before (as a backup holds it) no longer opens: his entry's key is shredded
    const [backup] = await h.service.parts.escalations.repository.cipher.open([
      Object.assign(new EscalationEntity(), {
        id: before.id,
        offeredCallBackPhone: before.rappel_propose_telephone,
        details: before.details,
        leadEmail: null,
        leadPhone: null,
        resolution: null,
      }),
    ]);
    expect(backup).toMatchObject({ offeredCallBackPhone: null, details: null });
    expect(await openedOf(theirs)).toMatchObject({
      offeredCallBackPhone: '+33622222222',
      details: { note: 'rappeler +33622222222 après 18h' },
    });
    // a client id that is not a UUID names nobody: dead-lettered, not retried
    const bad = newEvent(
      'ClientErased',
      { clientId: 'not-a-uuid', contractIds: [], erasedAt: T0.toISOString(), reason: 'GDPR_REQUEST' },
      { source: 'identity', subject: 'not-a-uuid', actor: { kind: 'advisor', id: randomUUID() } },
    );
    await h.send(bad);
    await waitFor('the bad erasure dead-lettered', () =>
      h.transport.records('crm.identity.events.v1.dlq').some((r) => r.value?.includes(bad.id) ?? false),
    );
  });
});
