// Issue 15, item 4: while waiting, the client is told his place in the queue and an estimated
// wait. EscalationEntry.position follows escalationQueue's order exactly; estimatedWaitSeconds
// comes from the last hour's waits and the advisors available (escalation.rules.ts); both are
// read in two statements whatever the number of entries; the client whose entry it is and the
// visitor of its conversation read them, nothing else of the entry. Real PostgreSQL, pinned clock.
import { randomUUID } from 'node:crypto';
import { CHAT_WIDGET, type Principal } from '@crm/auth';
import { newEvent } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import { REQUESTS_CONSUMER } from '../service';
import { codeOf, startHarness } from '../../test/harness';
import { graphql } from '../../test/generated';

const T0 = new Date('2031-05-12T09:00:00.000Z');
let now = T0;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

// no sweep during the tests: its statements would be counted with the measured ones
const h = perFile(() =>
  startHarness('escalation_position', {
    clock: () => new Date(now.getTime()),
    sweepIntervalMs: 3_600_000,
  }),
);
beforeEach(async () => {
  now = T0;
  await h.query(`delete from affectations`);
  await h.query(`delete from escalades`);
  await h.query(`delete from conseillers`);
});

const QUEUE_PLACES = graphql(`
  query QueuePlaces {
    escalationQueue(first: 100) {
      edges {
        node {
          id
          status
          position
          estimatedWaitSeconds
        }
      }
    }
  }
`);
const ENTRY_PLACE = graphql(`
  query EntryPlace($id: ID!) {
    escalation(id: $id) {
      status
      position
      estimatedWaitSeconds
    }
  }
`);
const ENTITIES = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on EscalationEntry { id position estimatedWaitSeconds } }
}`;
const ENTITY_REASONS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on EscalationEntry { id reasons } }
}`;
const ENTITY_CALL_BACK = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on EscalationEntry { id callBack { by } } }
}`;
type Place = { id: string; position: number | null; estimatedWaitSeconds: number | null };
const entities = (id: string, principal: Principal, query = ENTITIES) =>
  h.gql<{ _entities: (Place | null)[] }>(query, { reps: [{ __typename: 'EscalationEntry', id }] }, principal);

/** Advisors as the history needs them, straight in SQL: counters set, nobody with room. */
async function advisor(status: 'disponible' | 'occupe' | 'pause', load = 1): Promise<string> {
  const [row] = await h.query<{ id: string }>(
    `insert into conseillers (nom, statut, nb_dossiers_actifs, capacite) values ($1, $2, $3, $3) returning id`,
    [`Conseiller ${randomUUID().slice(0, 6)}`, status, load],
  );
  return row!.id;
}

/**
 * A past entry of the queue: queued `waited` seconds before its first assignment at `assignedAt`
 * (mode `auto` unless given), resolved since.
 */
async function past(advisorId: string, assignedAt: Date, waited: number, mode = 'auto'): Promise<void> {
  const queuedAt = new Date(assignedAt.getTime() - waited * 1000);
  const [entry] = await h.query<{ id: string }>(
    // no resolution text: the table takes only sealed words (issue 18), and the wait ignores it
    `insert into escalades (sinistre_id, raisons, priorite, statut, conseiller_id, date_creation, date_assignation,
                            date_resolution)
     values (gen_random_uuid(), '["COMPLAINT"]', 0, 'resolue', $1, $2, $3, $3) returning id`,
    [advisorId, queuedAt, assignedAt],
  );
  await h.query(
    `insert into affectations (escalade_id, conseiller_id, date_debut, date_fin, motif) values ($1, $2, $3, $3, $4)`,
    [entry!.id, advisorId, assignedAt, mode],
  );
}

async function escalateAt(seconds: number, input: Record<string, unknown>) {
  now = at(seconds);
  return h.escalate(input);
}

describe('EscalationEntry.position and estimatedWaitSeconds', () => {
  it("follow the queue's order and the last hour's median wait, scaled by the advisors available", async () => {
    const historian = await advisor('pause', 0);
    // the last hour: waits of 100 to 500 s (median 300) ...
    for (const [i, waited] of [100, 200, 300, 400, 500].entries())
      await past(historian, at(-600 - i * 60), waited);
    // ... not before it, not a reassignment
    await past(historian, at(-3700), 5000);
    await past(historian, at(-300), 9000, 'reaffectation');
    // two AVAILABLE advisors (full), one BUSY and one on a break: two take the head together
    await advisor('disponible');
    await advisor('disponible');
    await advisor('occupe');
    await advisor('pause');

    const complaint = await escalateAt(-400, { reasons: ['COMPLAINT'] });
    const injured = await escalateAt(-300, { reasons: ['INJURIES'] });
    const later = await escalateAt(-200, { reasons: ['COMPLAINT'] });
    const scored = await escalateAt(-100, { reasons: ['CCI_ABOVE_THRESHOLD'], cciScore: 80 });
    now = T0;

    const queue = await h.gql(QUEUE_PLACES);
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.escalationQueue.edges.map((e) => e.node)).toEqual([
      { id: injured.id, status: 'WAITING', position: 1, estimatedWaitSeconds: 300 },
      { id: scored.id, status: 'WAITING', position: 2, estimatedWaitSeconds: 300 },
      { id: complaint.id, status: 'WAITING', position: 3, estimatedWaitSeconds: 600 },
      { id: later.id, status: 'WAITING', position: 4, estimatedWaitSeconds: 600 },
    ]);

    // the head is taken by hand: it has no place any more, everyone behind moves up
    const busy = await advisor('occupe', 0);
    await h.query(`update conseillers set capacite = 5 where id = $1`, [busy]);
    expect(codeOf(await h.assign(injured.id, busy))).toBeUndefined();
    expect((await h.gql(ENTRY_PLACE, { id: injured.id })).data!.escalation).toEqual({
      status: 'ASSIGNED',
      position: null,
      estimatedWaitSeconds: null,
    });
    const places = (await h.gql(QUEUE_PLACES)).data!.escalationQueue.edges.map((e) => [
      e.node.position,
      e.node.estimatedWaitSeconds,
    ]);
    // that assignment waited 300 s: six samples now, median (300 + 300) / 2
    expect(places).toEqual([
      [1, 300],
      [2, 300],
      [3, 600],
    ]);

    // an hour later the history is gone: the default round (300 s), one advisor more
    now = at(3600 + 700);
    await advisor('disponible');
    const estimates = (await h.gql(QUEUE_PLACES)).data!.escalationQueue.edges.map(
      (e) => e.node.estimatedWaitSeconds,
    );
    expect(estimates).toEqual([300, 300, 300]);
  });

  it('costs the same few statements for 3 entries or 30 (no N+1)', async () => {
    await advisor('disponible');
    const statements = async () => {
      h.sql.length = 0;
      const r = await h.gql(QUEUE_PLACES);
      expect(r.errors).toBeUndefined();
      expect(r.data!.escalationQueue.edges.every((e) => e.node.position !== null)).toBe(true);
      // the relay's statements (event_outbox) are not this request's
      return h.sql.filter((q) => /escalades|conseillers|affectations/.test(q)).length;
    };
    for (let i = 0; i < 3; i++) await escalateAt(i, { reasons: ['COMPLAINT'] });
    const few = await statements();
    for (let i = 3; i < 30; i++) await escalateAt(i, { reasons: ['COMPLAINT'] });
    const many = await statements();
    expect(many).toBe(few);
    // the page, the positions, the history
    expect(few).toBe(3);
  });
});

describe('who reads a place in the queue', () => {
  const client = (sub: string): Principal => ({ sub, roles: ['client'] });
  const visitor = (sub: string): Principal => ({ sub, roles: ['conversation'] });

  it('the policyholder whose entry it is reads its place through _entities; another client is refused', async () => {
    await advisor('disponible');
    const mine = await escalateAt(-60, { reasons: ['COMPLAINT'] });
    const theirs = await escalateAt(-30, { reasons: ['INJURIES'] });
    const me = client(mine.client!.id);

    const own = await entities(mine.id, me);
    expect(own.errors).toBeUndefined();
    // behind the injured client, one advisor, no history: two default rounds
    expect(own.data!._entities).toEqual([{ id: mine.id, position: 2, estimatedWaitSeconds: 600 }]);
    // the same id in upper case is still his (ids compared without case)
    expect((await entities(mine.id, client(mine.client!.id.toUpperCase()))).errors).toBeUndefined();

    const other = await entities(theirs.id, me);
    expect(codeOf(other)).toBe('AUTH.FORBIDDEN');
    expect(other.data?._entities?.[0] ?? null).toBeNull();
    // nothing but the place: his own entry's reasons and call-back stay staff's
    expect(codeOf(await entities(mine.id, me, ENTITY_REASONS))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await entities(mine.id, me, ENTITY_CALL_BACK))).toBe('AUTH.FORBIDDEN');
    // and never through the root fields
    expect(codeOf(await h.gql(ENTRY_PLACE, { id: mine.id }, me))).toBe('AUTH.FORBIDDEN');
    // a partner or a chat visitor of no conversation of this entry: refused
    expect(codeOf(await entities(mine.id, { sub: 'WEB_CHAT', roles: ['partner'] }))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await entities(mine.id, visitor(randomUUID())))).toBe('AUTH.FORBIDDEN');
  });

  it('the chat visitor reads the place of the entry of his conversation, and only that one', async () => {
    const conversationId = randomUUID();
    const transfer = newEvent(
      'HandoffRequested',
      {
        conversationId,
        claimId: null,
        clientId: null,
        reason: 'AUTHENTICATION_FAILED',
        phase: 'auth',
        collected: {},
        requestedAt: T0.toISOString(),
      },
      { source: 'conversation', subject: conversationId, actor: { kind: 'bot', id: 'conversation' } },
    );
    await h.send(transfer);
    await waitFor(
      'transfer queued',
      async () => (await h.processedCount(REQUESTS_CONSUMER, [transfer.id])) === 1,
    );
    const [entry] = await h.query<{ id: string }>(`select id from escalades where conversation_id = $1`, [
      conversationId,
    ]);
    const other = await escalateAt(10, { reasons: ['COMPLAINT'] });

    const own = await entities(entry!.id, visitor(conversationId));
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities).toEqual([{ id: entry!.id, position: 1, estimatedWaitSeconds: 300 }]);
    expect(codeOf(await entities(other.id, visitor(conversationId)))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await entities(entry!.id, visitor(conversationId), ENTITY_REASONS))).toBe('AUTH.FORBIDDEN');
    // the chat widget's own principal (opening sessions) is nobody's visitor
    expect(codeOf(await entities(entry!.id, CHAT_WIDGET))).toBe('AUTH.FORBIDDEN');
  });
});
