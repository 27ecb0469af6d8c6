// Issue 15 (live handoff): the queue hears the live conversation (consumer
// escalation.conversation). An advisor handing the client back to the bot, or closing the
// conversation, resolves its entry as resolveEscalation does (slot freed, EscalationResolved,
// the advisor takes the next waiting entry); a call-back offered when nobody took the transfer
// marks the entry, which stays in the queue. Real PostgreSQL, in-process transport, pinned clock.
// The conversation seals the advisor's resolution under the conversation's key (v2): it is opened
// with the key the conversation releases, and once that key is shredded (the client erased) the
// entry is resolved all the same, without his words.
import { randomUUID } from 'node:crypto';
import { newEvent, topicForEventType, type EventDataMap } from '@crm/events';
import { waitFor } from '@crm/testing';
import { CONVERSATION_CONSUMER, ERASURE_CONSUMER, REQUESTS_CONSUMER } from '../service';
import { startHarness, type Harness } from '../../test/harness';
import { startProducerKeys, type ProducerKeys } from '../../test/producer-keys';
import type { EscalationEntity } from './escalation.entity';
import { graphql } from '../../test/generated';

/** The service's clock: fixed, moved by the tests (never today's date). */
const T0 = new Date('2031-05-12T09:00:00.000Z');
let now = T0;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let h: Harness;
/** the conversation service's key release, as the consumer reaches it (SERVICE_URLS) */
let conversationKeys: ProducerKeys;
beforeAll(async () => {
  conversationKeys = await startProducerKeys('conversation');
  h = await startHarness(
    'escalation_conversation',
    { clock: () => new Date(now.getTime()) },
    { SERVICE_URLS: conversationKeys.serviceUrl },
  );
});
afterAll(async () => {
  await h?.stop();
  await conversationKeys?.close();
});
beforeEach(async () => {
  now = T0;
  await h.query(`delete from affectations`);
  await h.query(`delete from escalades`);
  await h.query(`delete from conseillers`);
});

const actor = { kind: 'bot', id: 'conversation' } as const;

function handoff(conversationId = randomUUID()) {
  return newEvent(
    'HandoffRequested',
    {
      conversationId,
      claimId: null,
      clientId: randomUUID(),
      reason: 'CLIENT_REQUEST',
      phase: 'description',
      collected: {},
      requestedAt: now.toISOString(),
    },
    { source: 'conversation', subject: conversationId, actor },
  );
}

type Change = EventDataMap['ConversationOwnershipChanged'];
function ownership(conversationId: string, over: Partial<Change> = {}) {
  return newEvent(
    'ConversationOwnershipChanged',
    {
      conversationId,
      from: 'ADVISOR',
      to: 'BOT',
      cause: 'HANDED_BACK',
      sequence: 7,
      changedAt: now.toISOString(),
      ...over,
    },
    { source: 'conversation', subject: conversationId, actor: { kind: 'advisor', id: randomUUID() } },
  );
}

type Offer = EventDataMap['CallBackOffered'];
function callBack(conversationId: string, over: Partial<Offer> = {}) {
  return newEvent(
    'CallBackOffered',
    {
      conversationId,
      phone: '+33612345678',
      callBackBy: at(7200).toISOString(),
      offeredAt: now.toISOString(),
      ...over,
    },
    { source: 'conversation', subject: conversationId, actor },
  );
}

/** Sends the events and waits until `consumer` applied every one of them. */
async function deliver(consumer: string, ...events: { id: string }[]): Promise<void> {
  await h.send(...(events as Parameters<Harness['send']>));
  const ids = [...new Set(events.map((e) => e.id))];
  await waitFor(`${ids.length} events applied by ${consumer}`, async () => {
    return (await h.processedCount(consumer, ids)) === ids.length;
  });
}

interface Row {
  id: string;
  statut: string;
  conseiller_id: string | null;
  resolution: string | null;
  date_resolution: Date | null;
}
const entryOf = async (conversationId: string) =>
  (
    await h.query<Row>(`select * from escalades where conversation_id = $1 order by date_creation`, [
      conversationId,
    ])
  )[0]!;
const activeClaims = async (advisorId: string) =>
  (
    await h.query<{ n: number }>(`select nb_dossiers_actifs as n from conseillers where id = $1`, [advisorId])
  )[0]!.n;
/** the entries `sql` selects (by id, in its order), as the service reads them (their words opened) */
async function opened<T>(
  sql: string,
  pick: (e: EscalationEntity) => T,
  params: unknown[] = [],
): Promise<T[]> {
  const ids = (await h.query<{ id: string }>(sql, params)).map((r) => r.id);
  const entries = await h.service.parts.escalations.repository.findByIds(ids);
  return ids.map((id) => pick(entries.find((e) => e.id === id)!));
}

const eventTypes = async (subject: string) => (await h.outbox(subject)).map((e) => e.event_type);

const CALL_BACK_ENTRY = graphql(`
  query CallBackEntry($id: ID!) {
    escalation(id: $id) {
      id
      status
      callBack {
        phone
        by
        offeredAt
      }
    }
  }
`);

describe('ConversationOwnershipChanged (consumer escalation.conversation)', () => {
  it('HANDED_BACK resolves the entry, frees the slot, and the advisor takes the next waiting entry in the same transaction', async () => {
    const advisor = await h.registerAdvisor({ capacity: 1 });
    const first = handoff();
    await deliver(REQUESTS_CONSUMER, first);
    now = at(60);
    const second = handoff();
    await deliver(REQUESTS_CONSUMER, second);
    const held = await entryOf(first.data.conversationId);
    const waiting = await entryOf(second.data.conversationId);
    expect([held.statut, held.conseiller_id, waiting.statut]).toEqual(['assignee', advisor.id, 'en_attente']);

    now = at(600);
    const back = ownership(first.data.conversationId, { advisorId: advisor.id });
    await deliver(CONVERSATION_CONSUMER, back);

    const handedBack = await entryOf(first.data.conversationId);
    expect(handedBack).toMatchObject({
      statut: 'resolue',
      conseiller_id: advisor.id,
      date_resolution: at(600),
    });
    // the resolution text, sealed at rest (issue 18), as the service reads it
    expect(
      await opened(`select id from escalades where id = $1`, (e) => e.resolution, [handedBack.id]),
    ).toEqual(["Rendu à l'assistant"]);
    // the freed slot went to the transfer that was waiting, caused by the same change
    expect(await entryOf(second.data.conversationId)).toMatchObject({
      statut: 'assignee',
      conseiller_id: advisor.id,
    });
    expect(await activeClaims(advisor.id)).toBe(1);
    const events = await h.outbox(held.id);
    expect(events.map((e) => e.event_type)).toEqual([
      'EscalationQueued',
      'AdvisorAssigned',
      'EscalationResolved',
    ]);
    const resolved = events[2]!.payload as unknown as { causationId: string; data: object };
    expect(resolved.causationId).toBe(back.id);
    expect(resolved.data).toEqual({
      escalationId: held.id,
      conversationId: first.data.conversationId,
      advisorId: advisor.id,
      resolution: "Rendu à l'assistant",
      resolvedAt: at(600).toISOString(),
    });
    const taken = (await h.outbox(waiting.id)).find((e) => e.event_type === 'AdvisorAssigned')!;
    expect((taken.payload as unknown as { causationId: string }).causationId).toBe(back.id);
    const history = await h.query<{ date_fin: Date | null }>(
      `select date_fin from affectations where escalade_id = $1`,
      [held.id],
    );
    expect(history).toEqual([{ date_fin: at(600) }]);

    // a redelivery, and a second change for the same conversation: nothing more
    now = at(700);
    await deliver(
      CONVERSATION_CONSUMER,
      back,
      ownership(first.data.conversationId, { cause: 'CLOSED_BY_ADVISOR' }),
    );
    expect(await eventTypes(held.id)).toEqual(['EscalationQueued', 'AdvisorAssigned', 'EscalationResolved']);
    expect(await eventTypes(waiting.id)).toEqual(['EscalationQueued', 'AdvisorAssigned']);
    expect(await activeClaims(advisor.id)).toBe(1);
  });

  it('CLOSED_BY_ADVISOR resolves with the resolution: the entry it names first, else the claim’s', async () => {
    const advisor = await h.registerAdvisor({ capacity: 5 });
    const transfer = handoff();
    await deliver(REQUESTS_CONSUMER, transfer);
    const claimEntry = await h.escalate({ reasons: ['INJURIES'] });
    expect(claimEntry.advisor?.id).toBe(advisor.id);

    // names the claim's entry while speaking of the transfer's conversation: the named entry only
    now = at(300);
    const closed = ownership(transfer.data.conversationId, {
      cause: 'CLOSED_BY_ADVISOR',
      to: 'CLOSED',
      escalationId: claimEntry.id,
      reason: 'Déclaration complétée, expert mandaté',
    });
    await deliver(CONVERSATION_CONSUMER, closed);
    const rows = await opened(
      `select id from escalades order by date_creation, sinistre_id nulls first`,
      (e) => ({ id: e.id, statut: e.status, resolution: e.resolution }),
    );
    expect(rows).toEqual([
      { id: (await entryOf(transfer.data.conversationId)).id, statut: 'assignee', resolution: null },
      { id: claimEntry.id, statut: 'resolue', resolution: 'Déclaration complétée, expert mandaté' },
    ]);

    // a conversation without an entry of its own, about a claim with one: the claim's
    const other = await h.escalate({ reasons: ['COMPLAINT'] });
    await deliver(
      CONVERSATION_CONSUMER,
      ownership(randomUUID(), {
        cause: 'CLOSED_BY_ADVISOR',
        claimId: other.claim!.id,
        reason: 'Réclamation traitée',
      }),
    );
    expect(
      await opened(
        `select id from escalades where id = $1`,
        (e) => ({ statut: e.status, resolution: e.resolution }),
        [other.id],
      ),
    ).toEqual([{ statut: 'resolue', resolution: 'Réclamation traitée' }]);
    expect(await activeClaims(advisor.id)).toBe(1);
  });

  it('leaves a waiting entry in the queue, and ignores the changes the queue itself caused', async () => {
    const transfer = handoff();
    await deliver(REQUESTS_CONSUMER, transfer);
    const back = ownership(transfer.data.conversationId);
    await deliver(CONVERSATION_CONSUMER, back);
    expect(await entryOf(transfer.data.conversationId)).toMatchObject({
      statut: 'en_attente',
      resolution: null,
    });

    const advisor = await h.registerAdvisor({ capacity: 1 });
    const entry = await entryOf(transfer.data.conversationId);
    expect(entry).toMatchObject({ statut: 'assignee', conseiller_id: advisor.id });
    const others = (
      ['HANDOFF_REQUESTED', 'ADVISOR_ASSIGNED', 'ADVISOR_REASSIGNED', 'ESCALATION_RESOLVED'] as const
    ).map((cause) => ownership(transfer.data.conversationId, { cause, reason: 'x', advisorId: advisor.id }));
    await deliver(CONVERSATION_CONSUMER, ...others);
    expect(await entryOf(transfer.data.conversationId)).toMatchObject({
      statut: 'assignee',
      resolution: null,
    });
    expect(await eventTypes(entry.id)).toEqual(['EscalationQueued', 'AdvisorAssigned']);
  });
});

describe('ConversationOwnershipChanged v2, its reason sealed under the conversation’s key', () => {
  const conversationDlq = () =>
    h.transport.records(
      topicForEventType('ConversationOwnershipChanged', h.service.runtime.events.catalog).dlq.name,
    );

  /** A client's transfer, held by an advisor of capacity 1. */
  async function heldTransfer() {
    const advisor = await h.registerAdvisor({ capacity: 1 });
    const transfer = handoff();
    await deliver(REQUESTS_CONSUMER, transfer);
    const entry = await entryOf(transfer.data.conversationId);
    expect(entry).toMatchObject({ statut: 'assignee', conseiller_id: advisor.id });
    return { advisor, transfer, entry };
  }

  it('resolves the entry with the advisor’s words, opened with the key the conversation releases', async () => {
    const { advisor, transfer, entry } = await heldTransfer();
    now = at(300);
    const closed = await conversationKeys.seal(
      ownership(transfer.data.conversationId, {
        cause: 'CLOSED_BY_ADVISOR',
        to: 'CLOSED',
        advisorId: advisor.id,
        reason: 'Déclaration complétée avec Mme Canari',
      }),
    );
    // as it travels: the words sealed, not in the data
    expect(closed.sealed).toMatchObject({ subject: transfer.data.conversationId, fields: ['reason'] });
    expect(closed.data).not.toHaveProperty('reason');
    await deliver(CONVERSATION_CONSUMER, closed);

    expect(await entryOf(transfer.data.conversationId)).toMatchObject({
      statut: 'resolue',
      date_resolution: at(300),
    });
    expect(await opened(`select id from escalades where id = $1`, (e) => e.resolution, [entry.id])).toEqual([
      'Déclaration complétée avec Mme Canari',
    ]);
    expect(await activeClaims(advisor.id)).toBe(0);
    expect(conversationDlq()).toEqual([]);
  });

  it('still resolves the entry once the conversation’s key was shredded (its client erased), without his words', async () => {
    // the client erased everywhere: the queue heard it (the entry's key shredded) and the
    // conversation shredded its own key before the queue read the closing
    const { advisor, transfer, entry } = await heldTransfer();
    const conversationId = transfer.data.conversationId;
    const erased = newEvent(
      'ClientErased',
      {
        clientId: transfer.data.clientId!,
        contractIds: [],
        erasedAt: now.toISOString(),
        reason: 'GDPR_REQUEST',
      },
      { source: 'identity', subject: transfer.data.clientId!, actor: { kind: 'system', id: 'dpo' } },
    );
    await deliver(ERASURE_CONSUMER, erased);
    // another transfer, whose client's erasure has not reached the queue yet
    const other = await heldTransfer();

    now = at(600);
    const closings = [
      await conversationKeys.seal(
        ownership(conversationId, {
          cause: 'CLOSED_BY_ADVISOR',
          to: 'CLOSED',
          advisorId: advisor.id,
          reason: 'Vu avec M. Canari-efface',
        }),
      ),
      await conversationKeys.seal(
        ownership(other.transfer.data.conversationId, {
          cause: 'CLOSED_BY_ADVISOR',
          to: 'CLOSED',
          advisorId: other.advisor.id,
          reason: 'Vu avec Mme Canari-effacee',
        }),
      ),
    ];
    conversationKeys.shred(conversationId);
    conversationKeys.shred(other.transfer.data.conversationId);
    await deliver(CONVERSATION_CONSUMER, ...closings);

    // applied, not skipped nor dead-lettered: the entries are over, the advisors' slots free
    expect(await entryOf(conversationId)).toMatchObject({ statut: 'resolue', date_resolution: at(600) });
    expect(await entryOf(other.transfer.data.conversationId)).toMatchObject({ statut: 'resolue' });
    expect(await activeClaims(advisor.id)).toBe(0);
    expect(await activeClaims(other.advisor.id)).toBe(0);
    expect(conversationDlq()).toEqual([]);
    // no word typed about either client: the erased entry keeps none, the other the default
    // resolution (its own erasure empties it when it comes)
    expect(await entryOf(conversationId)).toMatchObject({ resolution: null });
    expect(
      await opened(`select id from escalades where id = $1`, (e) => e.resolution, [other.entry.id]),
    ).toEqual(['Conversation clôturée par le conseiller']);
    const [resolved] = (await h.outbox(entry.id)).filter((e) => e.event_type === 'EscalationResolved');
    expect(resolved?.payload.data).toEqual({
      escalationId: entry.id,
      conversationId,
      advisorId: advisor.id,
      resolvedAt: at(600).toISOString(),
    });
    expect(JSON.stringify(await h.query(`select * from escalades`))).not.toMatch(/canari/i);
  });
});

describe('CallBackOffered (consumer escalation.conversation)', () => {
  it('makes the waiting entry a call-back that stays in the queue; a later offer replaces it, an older one does not', async () => {
    const transfer = handoff();
    await deliver(REQUESTS_CONSUMER, transfer);
    const entry = await entryOf(transfer.data.conversationId);

    now = at(900);
    const offer = callBack(transfer.data.conversationId);
    await deliver(CONVERSATION_CONSUMER, offer, offer);
    const read = async () => (await h.gql(CALL_BACK_ENTRY, { id: entry.id })).data!.escalation;
    expect(await read()).toEqual({
      id: entry.id,
      status: 'WAITING',
      callBack: { phone: '+33612345678', by: at(7200).toISOString(), offeredAt: at(900).toISOString() },
    });
    const queue = await h.gql('{ escalationQueue { edges { node { id } } } }');
    expect(queue.data).toEqual({ escalationQueue: { edges: [{ node: { id: entry.id } }] } });
    // no event: the conversation told us, and the entry's place is unchanged
    expect(await eventTypes(entry.id)).toEqual(['EscalationQueued']);

    // an older offer delivered late changes nothing; a later one (no number known) replaces it
    const older = callBack(transfer.data.conversationId, {
      offeredAt: at(800).toISOString(),
      phone: '+33700000000',
    });
    await deliver(CONVERSATION_CONSUMER, older);
    expect((await read())!.callBack!.phone).toBe('+33612345678');
    const later = callBack(transfer.data.conversationId, {
      phone: undefined,
      offeredAt: at(1000).toISOString(),
      callBackBy: at(9000).toISOString(),
    });
    await deliver(CONVERSATION_CONSUMER, later);
    expect((await read())!.callBack).toEqual({
      phone: null,
      by: at(9000).toISOString(),
      offeredAt: at(1000).toISOString(),
    });

    // an advisor still takes it like any entry, and sees the promise made
    const advisor = await h.registerAdvisor({ capacity: 1 });
    expect(await entryOf(transfer.data.conversationId)).toMatchObject({
      statut: 'assignee',
      conseiller_id: advisor.id,
    });
    expect((await read())!.callBack).not.toBeNull();
  });

  it('marks the entry the offer names, and nothing for a conversation without an open entry', async () => {
    const plain = await h.escalate({ reasons: ['COMPLAINT'] });
    expect((await h.gql(CALL_BACK_ENTRY, { id: plain.id })).data!.escalation!.callBack).toBeNull();
    await deliver(
      CONVERSATION_CONSUMER,
      callBack(randomUUID()),
      callBack(randomUUID(), { escalationId: plain.id }),
    );
    const rows = await opened(`select id from escalades`, (e) => ({
      id: e.id,
      rappel_propose_telephone: e.offeredCallBackPhone,
    }));
    expect(rows).toEqual([{ id: plain.id, rappel_propose_telephone: '+33612345678' }]);
    // sealed at rest (issue 18)
    expect(JSON.stringify(await h.query(`select * from escalades`))).not.toContain('612345678');
  });
});
