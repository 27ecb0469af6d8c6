// Issue 5: a partner's CALL_REQUESTED, journaled by claims and published as CaseCallRequested,
// becomes an entry of the queue about the case (no claim), is assigned like any entry, and
// is announced with EscalationQueued (v3) naming the case. Real PostgreSQL, in-process transport.
import { randomUUID } from 'node:crypto';
import { newEvent, type CaseCallRequestedDataV1 } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import { REQUESTS_CONSUMER } from '../service';
import { RESOLVE_ESCALATION, startHarness } from '../../test/harness';
import { graphql } from '../../test/generated';
import { CALL_REQUEST_MAX_AGE_MS } from './call-request';

const h = perFile(() => startHarness('escalation_calls'));
beforeEach(async () => {
  await h.query(`delete from affectations`);
  await h.query(`delete from escalades`);
  await h.query(`delete from conseillers`);
});

function callRequest(over: Partial<CaseCallRequestedDataV1> = {}) {
  const caseId = over.caseId ?? randomUUID();
  const requestedAt = over.requestedAt ?? new Date(Date.now() - 60_000).toISOString();
  return newEvent(
    'CaseCallRequested',
    {
      caseId,
      leadId: 'marie.curie@example.fr',
      name: 'Marie Curie',
      phone: '+33612345678',
      intent: 'DTV',
      siteId: 'siam-visa-pro',
      eventId: randomUUID().replace(/-/g, '').repeat(2),
      reason: 'case_complexity',
      userStage: 'documents_review',
      notes: 'Besoin de précisions sur la résidence fiscale',
      requestedAt,
      callBackBy: new Date(new Date(requestedAt).getTime() + 4 * 3_600_000).toISOString(),
      ...over,
    },
    { source: 'claims', subject: caseId, actor: { kind: 'partner', id: 'WEB_CHAT' } },
  );
}

const processed = (eventIds: string[]) => h.processedCount(REQUESTS_CONSUMER, eventIds);

const CALL_REQUEST_ENTRY = graphql(`
  query CallRequestEntry($id: ID!) {
    escalation(id: $id) {
      ...EntryOrigin
      lead {
        email
      }
      callRequest {
        reason
        name
        userStage
        notes
        intent
        siteId
        phone
        requestedAt
        callBackBy
      }
      advisor {
        id
      }
    }
  }
`);
const CALL_REQUEST_QUEUE = graphql(`
  query CallRequestQueue {
    escalationQueue {
      edges {
        node {
          id
          case {
            id
          }
        }
      }
    }
  }
`);

describe('call requests through the escalation.requests consumer', () => {
  it('queues the case once (redelivery, second request while open), with the request for the advisor', async () => {
    const first = callRequest();
    const again = callRequest({ caseId: first.data.caseId, reason: 'user_request' });
    await h.send(first, first, again);
    await waitFor('both applied', async () => (await processed([first.id, again.id])) === 2);

    const rows = await h.query<{
      id: string;
      sinistre_id: string | null;
      raisons: string[];
      priorite: number;
    }>(`select * from escalades where dossier_id = $1`, [first.data.caseId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      sinistre_id: null,
      raisons: ['CALL_REQUESTED', 'CASE_COMPLEXITY'],
      priorite: 0,
    });

    const r = await h.gql(CALL_REQUEST_ENTRY, { id: rows[0]!.id });
    expect(r.errors).toBeUndefined();
    expect(r.data!.escalation).toEqual({
      id: rows[0]!.id,
      origin: 'CALL_REQUEST',
      status: 'WAITING',
      priority: 0,
      reasons: ['CALL_REQUESTED', 'CASE_COMPLEXITY'],
      // the lead waits since the request, not since the message reached the queue
      queuedAt: first.data.requestedAt,
      claim: null,
      client: null,
      case: { id: first.data.caseId },
      lead: { email: 'marie.curie@example.fr' },
      callRequest: {
        reason: 'case_complexity',
        name: 'Marie Curie',
        userStage: 'documents_review',
        notes: 'Besoin de précisions sur la résidence fiscale',
        intent: 'DTV',
        siteId: 'siam-visa-pro',
        phone: '+33612345678',
        requestedAt: first.data.requestedAt,
        callBackBy: first.data.callBackBy,
      },
      advisor: null,
    });

    const events = await h.outbox(rows[0]!.id);
    expect(events.map((e) => e.event_type)).toEqual(['EscalationQueued']);
    const queued = events[0]!.payload as unknown as {
      version: number;
      causationId: string;
      data: Record<string, unknown>;
    };
    // v3 since conversations have entries too (issue 12); a call request still names its case only
    expect(queued.version).toBe(3);
    expect(queued.causationId).toBe(first.id);
    expect(queued.data).toMatchObject({
      caseId: first.data.caseId,
      leadId: 'marie.curie@example.fr',
      priority: 0,
    });
    expect(queued.data).not.toHaveProperty('claimId');

    // the case's entry, from the case's side of the graph
    // _entities is federation's, not in the SDL: codegen cannot type it, the result is read as unknown
    const byCase = await h.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { escalation { id } } } }`,
      {
        r: [
          { __typename: 'Case', id: first.data.caseId },
          { __typename: 'Case', id: randomUUID() },
        ],
      },
    );
    expect(byCase.data?._entities).toEqual([{ escalation: { id: rows[0]!.id } }, { escalation: null }]);
  });

  it('is assigned at once to a matching advisor, resolved, and a new request then opens a new entry', async () => {
    const expert = await h.registerAdvisor({ specialty: 'sinistre_complexe', capacity: 2 });
    const first = callRequest();
    await h.send(first);
    await waitFor('applied', async () => (await processed([first.id])) === 1);
    const [row] = await h.query<{ id: string; statut: string; conseiller_id: string }>(
      `select * from escalades where dossier_id = $1`,
      [first.data.caseId],
    );
    expect(row).toMatchObject({ statut: 'assignee', conseiller_id: expert.id });
    const assigned = (await h.outbox(row!.id)).find((e) => e.event_type === 'AdvisorAssigned')!;
    expect(assigned.payload.data).toMatchObject({
      caseId: first.data.caseId,
      advisorId: expert.id,
      mode: 'AUTO',
    });

    const resolved = await h.gql(RESOLVE_ESCALATION, {
      input: { escalationId: row!.id, resolution: 'Lead rappelée, rendez-vous pris' },
    });
    expect(resolved.data?.resolveEscalation.status).toBe('RESOLVED');
    const [done] = (await h.outbox(row!.id)).filter((e) => e.event_type === 'EscalationResolved');
    expect(done!.payload.data).toMatchObject({ caseId: first.data.caseId });

    const next = callRequest({ caseId: first.data.caseId });
    await h.send(next);
    await waitFor('applied', async () => (await processed([next.id])) === 1);
    const statuses = await h.query<{ statut: string }>(
      `select statut from escalades where dossier_id = $1 order by date_creation`,
      [first.data.caseId],
    );
    expect(statuses.map((s) => s.statut)).toEqual(['resolue', 'assignee']);
  });

  it('an injury claim is served before a call request; among call requests the longest waiting first', async () => {
    const older = callRequest({ requestedAt: new Date(Date.now() - 3_600_000).toISOString() });
    const newer = callRequest({ requestedAt: new Date(Date.now() - 60_000).toISOString() });
    await h.send(newer, older);
    await waitFor('applied', async () => (await processed([older.id, newer.id])) === 2);
    const injury = await h.escalate({ reasons: ['INJURIES'] });
    const queue = await h.gql(CALL_REQUEST_QUEUE);
    expect(queue.data!.escalationQueue.edges.map((e) => e.node.case?.id ?? e.node.id)).toEqual([
      injury.id,
      older.data.caseId,
      newer.data.caseId,
    ]);
  });

  it('leaves a request older than seven days in the journal only, and dead-letters a bad case id', async () => {
    const stale = callRequest({
      requestedAt: new Date(Date.now() - CALL_REQUEST_MAX_AGE_MS - 3_600_000).toISOString(),
    });
    const bad = { ...callRequest(), data: { ...callRequest().data, caseId: 'not-a-case' } };
    const good = callRequest();
    await h.send(stale, bad, good);
    await waitFor('the good one applied', async () => (await processed([good.id])) === 1);
    await waitFor('the bad one dead-lettered', async () => {
      const health = await h.service.runtime.events.health();
      return health.consumers.find((c) => c.consumer === REQUESTS_CONSUMER)?.deadLettered === 1;
    });
    expect(await processed([stale.id])).toBe(1);
    const cases = await h.query<{ dossier_id: string }>(`select dossier_id from escalades`);
    expect(cases.map((c) => c.dossier_id)).toEqual([good.data.caseId]);
  });
});
