// Issue 15: a claim declared to the bot and escalated reaches the queue through the claim's
// ClaimEscalationRequested (claims topic), and the bot's transfer (HandoffRequested, reason
// ESCALATED, conversation topic) tells which conversation the client waits in. Whichever
// arrives first, the claim's entry ends up referring to the conversation (consumer
// escalation.requests). Real PostgreSQL, in-process transport, pinned clock.
import { randomUUID } from 'node:crypto';
import { newEvent } from '@crm/events';
import { systemCaller } from '@crm/subgraph';
import { perFile, waitFor } from '@crm/testing';
import { type EntityManager } from 'typeorm';
import { REQUESTS_CONSUMER } from '../service';
import { startHarness, type Harness } from '../../test/harness';
import { graphql } from '../../test/generated';

const T0 = new Date('2031-05-12T09:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const h = perFile(() => startHarness('escalation_claim_conversation', { clock: () => T0 }));
beforeEach(async () => {
  await h.query(`delete from affectations`);
  await h.query(`delete from escalades`);
  await h.query(`delete from conseillers`);
  await h.query(`delete from sinistres_conversations`);
});

function escalationRequested(claimId: string) {
  return newEvent(
    'ClaimEscalationRequested',
    {
      claimId,
      claimNumber: `SIN-2031-${claimId.slice(0, 6)}`,
      clientId: randomUUID(),
      cciScore: 72,
      injuries: true,
      triggers: [
        { code: 'INJURIES', reason: 'Blessures déclarées' },
        { code: 'CCI_ABOVE_THRESHOLD', reason: 'CCI 72 > 60' },
      ],
      requestedAt: at(-30).toISOString(),
    },
    { source: 'claims', subject: claimId, actor: { kind: 'system', id: 'claims.triggers' } },
  );
}

function escalatedTransfer(claimId: string, conversationId = randomUUID(), requestedAt = at(-20)) {
  return newEvent(
    'HandoffRequested',
    {
      conversationId,
      claimId,
      clientId: randomUUID(),
      reason: 'ESCALATED',
      phase: 'decision',
      collected: { blessures: true },
      requestedAt: requestedAt.toISOString(),
    },
    { source: 'conversation', subject: conversationId, actor: { kind: 'bot', id: 'conversation' } },
  );
}

async function deliver(...events: Parameters<Harness['send']>): Promise<void> {
  await h.send(...events);
  const ids = [...new Set(events.map((e) => e.id))];
  await waitFor(`${ids.length} events applied`, async () => {
    return (await h.processedCount(REQUESTS_CONSUMER, ids)) === ids.length;
  });
}

const CLAIM_ENTRY = graphql(`
  query ClaimEntryConversation($id: ID!) {
    escalation(id: $id) {
      origin
      claim {
        id
      }
      conversation {
        id
      }
    }
  }
`);

const entriesOf = (claimId: string) =>
  h.query<{ id: string; conversation_id: string | null }>(
    `select id, conversation_id from escalades where sinistre_id = $1`,
    [claimId],
  );

describe("an escalated claim's entry refers to the conversation it was declared in", () => {
  it('transfer first: the link is kept, and the entry created later refers to the conversation (EscalationQueued too)', async () => {
    const claimId = randomUUID();
    const transfer = escalatedTransfer(claimId);
    await deliver(transfer);
    // the claim's own request queues it: no entry yet, only the link
    expect(await h.query(`select id from escalades`)).toEqual([]);
    expect(
      await h.query(`select conversation_id from sinistres_conversations where sinistre_id = $1`, [claimId]),
    ).toEqual([{ conversation_id: transfer.data.conversationId }]);

    await deliver(escalationRequested(claimId));
    const [entry] = await entriesOf(claimId);
    expect(entry!.conversation_id).toBe(transfer.data.conversationId);
    const r = await h.gql(CLAIM_ENTRY, { id: entry!.id });
    expect(r.data!.escalation).toEqual({
      origin: 'CLAIM',
      claim: { id: claimId },
      conversation: { id: transfer.data.conversationId },
    });
    const [queued] = await h.outbox(entry!.id);
    expect(queued!.payload.data).toMatchObject({ claimId, conversationId: transfer.data.conversationId });
  });

  it('entry first: the transfer arriving later links the open entry', async () => {
    const claimId = randomUUID();
    await deliver(escalationRequested(claimId));
    const [before] = await entriesOf(claimId);
    expect(before!.conversation_id).toBeNull();

    const transfer = escalatedTransfer(claimId);
    await deliver(transfer, transfer);
    expect(await entriesOf(claimId)).toEqual([
      { id: before!.id, conversation_id: transfer.data.conversationId },
    ]);
    expect((await h.gql(CLAIM_ENTRY, { id: before!.id })).data!.escalation!.conversation).toEqual({
      id: transfer.data.conversationId,
    });
  });

  it('both in one delivery, for many claims: every entry is linked', async () => {
    const claims = Array.from({ length: 12 }, () => randomUUID());
    const events = claims.flatMap((claimId, i) => {
      const pair = [escalatedTransfer(claimId), escalationRequested(claimId)];
      return i % 2 ? pair : pair.reverse();
    });
    await deliver(...events);
    const rows = await h.query<{ sinistre_id: string; conversation_id: string | null }>(
      `select e.sinistre_id, e.conversation_id from escalades e`,
    );
    expect(rows).toHaveLength(claims.length);
    const linked = await h.query<{ sinistre_id: string; conversation_id: string }>(
      `select sinistre_id, conversation_id from sinistres_conversations`,
    );
    const expected = new Map(linked.map((l) => [l.sinistre_id, l.conversation_id]));
    for (const row of rows) expect(row.conversation_id).toBe(expected.get(row.sinistre_id));
  });

  it('in two transactions at the same time, either one first: the claim lock makes the second see the first', async () => {
    const { escalations } = h.service.parts;
    const ds = h.service.runtime.dataSource;
    const caller = systemCaller('test.race');
    const pause = () => new Promise((r) => setTimeout(r, 300));
    const within = async (
      work: (tx: EntityManager) => Promise<unknown>,
      meanwhile: () => Promise<unknown>,
    ) => {
      const qr = ds.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      try {
        await work(qr.manager);
        // the other side starts while this one is still open, and waits for it (or misses it)
        const other = meanwhile();
        await pause();
        await qr.commitTransaction();
        await other;
      } finally {
        await qr.release();
      }
    };

    // the link's transaction open while the claim's entry is created
    const first = randomUUID();
    const firstConversation = randomUUID();
    await within(
      (tx) =>
        escalations.linkClaimIn(tx, {
          claimId: first,
          conversationId: firstConversation,
          requestedAt: at(-20),
        }),
      () =>
        escalations.escalate(
          { claimId: first, clientId: undefined, reasons: ['INJURIES'], cciScore: undefined },
          caller,
        ),
    );
    expect(await entriesOf(first)).toEqual([expect.objectContaining({ conversation_id: firstConversation })]);

    // the entry's transaction open while the link arrives
    const second = randomUUID();
    const secondConversation = randomUUID();
    await within(
      (tx) =>
        escalations.escalateIn(
          tx,
          { claimId: second, clientId: undefined, reasons: ['INJURIES'], cciScore: undefined },
          caller,
        ),
      () =>
        ds.transaction((tx) =>
          escalations.linkClaimIn(tx, {
            claimId: second,
            conversationId: secondConversation,
            requestedAt: at(-20),
          }),
        ),
    );
    expect(await entriesOf(second)).toEqual([
      expect.objectContaining({ conversation_id: secondConversation }),
    ]);
  });

  it('keeps the latest transfer, and never takes a conversation another open entry holds', async () => {
    const claimId = randomUUID();
    await deliver(escalationRequested(claimId));
    const [entry] = await entriesOf(claimId);
    const latest = escalatedTransfer(claimId, randomUUID(), at(-10));
    const older = escalatedTransfer(claimId, randomUUID(), at(-40));
    await deliver(latest);
    await deliver(older);
    expect(await entriesOf(claimId)).toEqual([
      { id: entry!.id, conversation_id: latest.data.conversationId },
    ]);

    // a conversation whose own transfer is already queued stays that entry's
    const busy = randomUUID();
    const own = newEvent(
      'HandoffRequested',
      {
        ...latest.data,
        conversationId: busy,
        claimId: null,
        reason: 'CLIENT_REQUEST',
        requestedAt: at(-5).toISOString(),
      },
      { source: 'conversation', subject: busy, actor: { kind: 'bot', id: 'conversation' } },
    );
    const other = randomUUID();
    await deliver(own, escalationRequested(other));
    await deliver(escalatedTransfer(other, busy, at(-1)));
    expect(await entriesOf(other)).toEqual([expect.objectContaining({ conversation_id: null })]);
    expect(await h.query(`select sinistre_id from escalades where conversation_id = $1`, [busy])).toEqual([
      { sinistre_id: null },
    ]);
  });
});
