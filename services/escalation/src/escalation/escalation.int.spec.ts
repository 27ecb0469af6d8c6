// The escalation queue over real HTTP against a real PostgreSQL database.
import { perFile } from '@crm/testing';
import { systemCaller } from '@crm/subgraph';
import { randomUUID } from 'node:crypto';
import { EscalationService } from './escalation.service';
import {
  codeOf,
  RESOLVE_ESCALATION,
  START_ESCALATION,
  startHarness,
  type GqlResult,
} from '../../test/harness';
import { graphql } from '../../test/generated';
import type { EscalationQueuePageQuery } from '../../test/generated/graphql';

// Advisors here are BUSY: they can be given work by hand, and automatic assignment (which
// only serves AVAILABLE advisors; auto-assignment.int.spec.ts) leaves these entries alone.
const h = perFile(() => startHarness('escalation'));

const resolve = (escalationId: string, resolution = 'Client rappelé, dossier transmis à l’expert') =>
  h.gql(RESOLVE_ESCALATION, {
    input: { escalationId, resolution },
  });
const activeClaims = async (advisorId: string) =>
  (
    await h.query<{ n: number }>(`select nb_dossiers_actifs as n from conseillers where id = $1`, [advisorId])
  )[0]!.n;

describe('schema', () => {
  it('creates the three tables with their CHECK constraints and indexes', async () => {
    const indexes = await h.query<{ indexname: string }>(
      `select indexname from pg_indexes where tablename in ('conseillers', 'escalades', 'affectations') order by 1`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining([
        'uq_escalades_sinistre_ouverte',
        'uq_affectations_en_cours',
        'idx_escalades_file',
      ]),
    );
    const columns = await h.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'conseillers' order by ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id',
      'nom',
      'email',
      'telephone',
      'statut',
      'specialite',
      'nb_dossiers_actifs',
      'capacite',
      'date_creation',
    ]);
    await expect(h.query(`insert into conseillers (nom, statut) values ('x', 'absent')`)).rejects.toThrow(
      /chk_conseillers_statut/,
    );
    await expect(
      h.query(`insert into conseillers (nom, nb_dossiers_actifs, capacite) values ('x', 6, 5)`),
    ).rejects.toThrow(/chk_conseillers_dossiers_actifs/);
    const advisor = await h.registerAdvisor({ status: 'BUSY' });
    await expect(
      h.query(
        `insert into escalades (sinistre_id, statut, conseiller_id) values (gen_random_uuid(), 'fermee', $1)`,
        [advisor.id],
      ),
    ).rejects.toThrow(/chk_escalades_statut/);
    // a waiting entry held by someone is a contradiction
    await expect(
      h.query(`insert into escalades (sinistre_id, conseiller_id) values (gen_random_uuid(), $1)`, [
        advisor.id,
      ]),
    ).rejects.toThrow(/chk_escalades_conseiller/);
  });
});

describe('escalateClaim', () => {
  it('queues a claim with its priority and writes EscalationQueued in the same transaction', async () => {
    const claimId = randomUUID();
    const clientId = randomUUID();
    const entry = await h.escalate({ claimId, clientId, reasons: ['INJURIES', 'injuries '], cciScore: 60 });
    expect(entry).toMatchObject({
      claim: { id: claimId },
      client: { id: clientId },
      reasons: ['INJURIES'],
      priority: 80,
      status: 'WAITING',
      advisor: null,
      assignedAt: null,
    });
    const [row] = await h.query<{ statut: string; raisons: unknown }>(
      `select statut, raisons from escalades where id = $1`,
      [entry.id],
    );
    expect(row).toEqual({ statut: 'en_attente', raisons: ['INJURIES'] });
    const events = await h.outbox(entry.id);
    expect(events.map((e) => e.event_type)).toEqual(['EscalationQueued']);
    expect(events[0]!.payload.data).toEqual({
      escalationId: entry.id,
      claimId,
      clientId,
      priority: 80,
      reasons: ['INJURIES'],
      cciScore: 60,
      queuedAt: entry.queuedAt,
    });
    expect(events[0]!.payload.actor).toEqual({ kind: 'advisor', id: 'sup-1' });
  });

  it('is idempotent per open entry, also under concurrent calls', async () => {
    const claimId = randomUUID();
    const entries = await Promise.all(Array.from({ length: 5 }, () => h.escalate({ claimId })));
    expect(new Set(entries.map((e) => e.id)).size).toBe(1);
    expect((await h.outbox(entries[0]!.id)).map((e) => e.event_type)).toEqual(['EscalationQueued']);
    const again = await h.escalate({ claimId, reasons: ['CCI_ABOVE_THRESHOLD'] });
    expect(again.id).toBe(entries[0]!.id);
  });

  it('opens a new entry once the previous one is resolved', async () => {
    const claimId = randomUUID();
    const advisor = await h.registerAdvisor({ status: 'BUSY' });
    const first = await h.escalate({ claimId });
    await h.assign(first.id, advisor.id);
    expect((await resolve(first.id)).errors).toBeUndefined();
    const second = await h.escalate({ claimId });
    expect(second.id).not.toBe(first.id);
    expect(second.status).toBe('WAITING');
  });

  it('reports every invalid field with VALIDATION.FAILED', async () => {
    const r = await h.gql(`mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { id } }`, {
      input: { claimId: 'x', reasons: [], cciScore: 400 },
    });
    expect(codeOf(r)).toBe('VALIDATION.FAILED');
    expect(r.errors![0]!.extensions.details!.problems!.map((p) => p.field).sort()).toEqual([
      'cciScore',
      'claimId',
      'reasons',
    ]);
  });

  it('writes neither the entry nor the event when the transaction fails', async () => {
    const failing = new EscalationService(
      {
        ...h.service.runtime,
        events: {
          ...h.service.runtime.events,
          outbox: {
            publish: () => Promise.reject(new Error('outbox unavailable')),
          } as unknown as typeof h.service.runtime.events.outbox,
        },
      },
      h.service.parts.vault,
    );
    const claimId = randomUUID();
    await expect(
      failing.escalate(
        { claimId, reasons: ['INJURIES'], clientId: undefined, cciScore: undefined },
        systemCaller('s'),
      ),
    ).rejects.toThrow('outbox unavailable');
    expect(await h.query(`select id from escalades where sinistre_id = $1`, [claimId])).toHaveLength(0);
  });
});

describe('escalationQueue', () => {
  it('orders by priority then waiting time, with keyset pages and a total', async () => {
    // a fresh status to page through: resolve nothing, use WAITING entries of this test only
    await h.query(
      `update escalades set statut = 'resolue', date_resolution = now(), conseiller_id = (select id from conseillers limit 1) where statut = 'en_attente'`,
    );
    const low = await h.escalate({ reasons: ['THIRD_PARTY_RESPONSIBLE'], cciScore: 30 });
    const injury = await h.escalate({ reasons: ['INJURIES'], cciScore: 10 });
    const high = await h.escalate({ reasons: ['CCI_ABOVE_THRESHOLD'], cciScore: 95 });
    const lowLater = await h.escalate({ reasons: ['THIRD_PARTY_RESPONSIBLE'], cciScore: 30 });
    const severe = await h.escalate({ reasons: ['INJURIES'], cciScore: 80 });
    const expected = [severe, injury, high, low, lowLater].map((e) => e.id);

    const QUEUE = graphql(`
      query EscalationQueuePage($first: Int, $after: String) {
        escalationQueue(first: $first, after: $after) {
          edges {
            cursor
            node {
              id
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
          totalCount
        }
      }
    `);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      // typed from the document: `after` comes from the previous page, so TS needs it spelled out
      const r: GqlResult<EscalationQueuePageQuery> = await h.gql(QUEUE, { first: 2, after });
      expect(r.errors).toBeUndefined();
      const page = r.data!.escalationQueue;
      expect(page.totalCount).toBe(5);
      seen.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);

    const bad = await h.gql(`{ escalationQueue(after: "bm9wZQ") { totalCount } }`);
    expect(codeOf(bad)).toBe('PAGINATION.INVALID_CURSOR');
    expect(codeOf(await h.gql(`{ escalationQueue(first: 101) { totalCount } }`))).toBe(
      'PAGINATION.INVALID_SIZE',
    );
  });
});

describe('assignEscalation and resolveEscalation', () => {
  it('assigns, reassigns and resolves, keeping counters, history and events in step', async () => {
    const [a, b] = await Promise.all([
      h.registerAdvisor({ status: 'BUSY' }),
      h.registerAdvisor({ status: 'BUSY' }),
    ]);
    const entry = await h.escalate();

    const assigned = await h.assign(entry.id, a.id);
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data!.assignEscalation).toMatchObject({ status: 'ASSIGNED', advisor: { id: a.id } });
    expect(assigned.data!.assignEscalation.assignedAt).toEqual(expect.any(String));
    expect(await activeClaims(a.id)).toBe(1);

    // assigning to the same advisor again changes nothing
    expect((await h.assign(entry.id, a.id)).data!.assignEscalation.advisor).toEqual({ id: a.id });

    const started = await h.gql(START_ESCALATION, {
      input: { escalationId: entry.id },
    });
    expect(started.data!.startEscalation.status).toBe('IN_PROGRESS');
    await h.gql(START_ESCALATION, { input: { escalationId: entry.id } }); // a repeat publishes nothing

    const reassigned = await h.assign(entry.id, b.id);
    expect(reassigned.data!.assignEscalation.advisor).toEqual({ id: b.id });
    expect(await activeClaims(a.id)).toBe(0);
    expect(await activeClaims(b.id)).toBe(1);

    const resolved = await resolve(entry.id);
    expect(resolved.data!.resolveEscalation).toMatchObject({ status: 'RESOLVED', advisor: { id: b.id } });
    expect(await activeClaims(b.id)).toBe(0);

    const history = await h.gql(
      graphql(`
        query AssignmentHistory($id: ID!) {
          escalation(id: $id) {
            assignmentHistory {
              advisor {
                id
              }
              mode
              endedAt
            }
          }
        }
      `),
      { id: entry.id },
    );
    const steps = history.data!.escalation!.assignmentHistory;
    expect(steps.map((s) => [s.advisor.id, s.mode])).toEqual([
      [a.id, 'MANUAL'],
      [b.id, 'REASSIGNMENT'],
    ]);
    expect(steps.every((s) => s.endedAt !== null)).toBe(true);

    const events = await h.outbox(entry.id);
    expect(events.map((e) => e.event_type)).toEqual([
      'EscalationQueued',
      'AdvisorAssigned',
      'EscalationStarted',
      'AdvisorAssigned',
      'EscalationResolved',
    ]);
    expect(events[3]!.payload.data).toMatchObject({
      advisorId: b.id,
      previousAdvisorId: a.id,
      mode: 'REASSIGNMENT',
    });
    expect(events[4]!.payload.data).toMatchObject({ advisorId: b.id, resolution: expect.any(String) });
  });

  it('answers stable codes: not found, resolved, at capacity, on a break, not assigned', async () => {
    const advisor = await h.registerAdvisor({ capacity: 1, status: 'BUSY' });
    const entry = await h.escalate();
    const missing = randomUUID();
    expect((await h.assign(missing, advisor.id)).errors![0]!.extensions).toEqual({
      code: 'ESCALATION.NOT_FOUND',
      details: { id: missing },
    });
    expect(codeOf(await h.assign(entry.id, missing))).toBe('ADVISOR.NOT_FOUND');
    expect(codeOf(await resolve(entry.id))).toBe('ESCALATION.NOT_ASSIGNED');

    await h.assign(entry.id, advisor.id);
    const other = await h.escalate();
    expect(codeOf(await h.assign(other.id, advisor.id))).toBe('ESCALATION.ADVISOR_AT_CAPACITY');

    const onBreak = await h.registerAdvisor({ status: 'ON_BREAK' });
    expect(codeOf(await h.assign(other.id, onBreak.id))).toBe('ESCALATION.ADVISOR_UNAVAILABLE');

    await resolve(entry.id);
    expect(codeOf(await h.assign(entry.id, advisor.id))).toBe('ESCALATION.ALREADY_RESOLVED');
    expect(codeOf(await resolve(entry.id))).toBe('ESCALATION.ALREADY_RESOLVED');
    // the refused calls wrote no event
    expect((await h.outbox(other.id)).map((e) => e.event_type)).toEqual(['EscalationQueued']);
  });
});

describe('_entities', () => {
  it('resolves EscalationEntry by id', async () => {
    const entry = await h.escalate();
    // _entities is federation's, not in the SDL: codegen cannot type it, the result is read as unknown
    const r = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on EscalationEntry { id status claim { id } } } }`,
      {
        reps: [
          { __typename: 'EscalationEntry', id: entry.id },
          { __typename: 'EscalationEntry', id: 'nope' },
        ],
      },
    );
    expect(r.data!._entities).toEqual([
      { id: entry.id, status: 'WAITING', claim: { id: entry.claim!.id } },
      null,
    ]);
  });

  it('resolves Claim.escalation for many claims in one batched query: the open entry first', async () => {
    const advisor = await h.registerAdvisor({ status: 'BUSY' });
    const claimA = randomUUID();
    const old = await h.escalate({ claimId: claimA });
    await h.assign(old.id, advisor.id);
    await resolve(old.id);
    const current = await h.escalate({ claimId: claimA });
    const claimB = randomUUID();
    const onlyResolved = await h.escalate({ claimId: claimB });
    await h.assign(onlyResolved.id, advisor.id);
    await resolve(onlyResolved.id);

    h.sql.length = 0;
    // _entities is federation's, not in the SDL: codegen cannot type it, the result is read as unknown
    const r = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Claim { id escalation { id status } } } }`,
      {
        reps: [
          { __typename: 'Claim', id: claimA },
          { __typename: 'Claim', id: claimB },
          { __typename: 'Claim', id: randomUUID() },
        ],
      },
    );
    expect(r.data!._entities).toEqual([
      { id: claimA, escalation: { id: current.id, status: 'WAITING' } },
      { id: claimB, escalation: { id: onlyResolved.id, status: 'RESOLVED' } },
      { id: expect.any(String), escalation: null },
    ]);
    expect(h.sql.filter((q) => q.includes('"escalades"'))).toHaveLength(1);
  });
});
