// One `_entities` test per @key this subgraph defines (Claim, Case, CaseEvent) or extends
// (Client, Contract), the case queries, and the service's health endpoints.
import { randomUUID } from 'node:crypto';
import { partnerEventId } from '@crm/events';
import { declaration, OPEN_CLAIM, startClaims, type Harness } from '../test/harness';
import { graphql } from '../test/generated';

let h: Harness;
const clientId = randomUUID();
const contractId = randomUUID();
const caseId = `case-${randomUUID()}`;
const journal: { id: string; at: string }[] = [];
let claimIds: string[] = [];
// the partner events came two days before the claims, whose openings are timestamped now
const partnerDay = new Date(Date.now() - 2 * 86_400_000);
const minutesAfter = (minutes: number) => new Date(partnerDay.getTime() + minutes * 60_000).toISOString();

beforeAll(async () => {
  // claims stay NEW when opened (no automatic routing): these tests move them by hand from NEW
  h = await startClaims('claims_entities', { settings: { autoRouting: false } });
  await h.seedCase({
    id: caseId,
    leadId: 'marie.dupont@example.fr',
    intent: 'SINISTRE',
    status: 'CALL_SCHEDULED',
    ownerUid: 'agent-7',
    siteId: 'web',
    confidenceScore: 85,
    lastEventAt: minutesAfter(60),
  });
  for (let i = 0; i < 5; i++) {
    const source = 'WEB_CHAT';
    const sourceId = `session-${caseId}-${i}`;
    const at = minutesAfter(i);
    const id = partnerEventId(source, sourceId);
    journal.push({ id, at });
    await h.seedJournal([
      {
        id,
        caseId,
        type: 'CALL_REQUESTED',
        timestamp: at,
        source,
        sourceId,
        payload: { reason: 'user_request', n: i },
        summary: i === 0 ? { text: 'appel' } : null,
      },
    ]);
  }
  claimIds = [];
  for (let i = 0; i < 3; i++) {
    const res = await h.gql(OPEN_CLAIM, {
      input: declaration({ clientId, contractId: i < 2 ? contractId : randomUUID(), caseId }),
    });
    expect(res.errors).toBeUndefined();
    claimIds.push(res.data!.openClaim.id);
  }
});
afterAll(() => h?.stop());

// _entities is federation's, not in the SDL: codegen cannot type it, so these stay plain strings
// and each test reads the result through a narrow cast
const entities = (representations: Record<string, unknown>[], selection: string) =>
  h.gql(`query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, {
    r: representations,
  });

describe('_entities', () => {
  it('resolves Claim references in order, null for unknown or malformed ids', async () => {
    const missing = randomUUID();
    const res = await entities(
      [...claimIds, missing, 'not-a-uuid'].map((id) => ({ __typename: 'Claim', id })),
      '... on Claim { id claimNumber client { id } case { id } }',
    );
    expect(res.errors).toBeUndefined();
    const claims = res.data!._entities as ({ id: string } | null)[];
    expect(claims.slice(0, 3).map((c) => c?.id)).toEqual(claimIds);
    expect(claims[0]).toMatchObject({ client: { id: clientId }, case: { id: caseId } });
    expect(claims.slice(3)).toEqual([null, null]);
  });

  it('extends Client with its claims (status filter, pagination, totalCount)', async () => {
    const stranger = randomUUID();
    const res = await entities(
      [
        { __typename: 'Client', id: clientId },
        { __typename: 'Client', id: stranger },
      ],
      '... on Client { id claims(first: 2, status: NEW) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(res.errors).toBeUndefined();
    const [mine, theirs] = res.data!._entities as {
      claims: {
        totalCount: number;
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }[];
    expect(mine!.claims.totalCount).toBe(3);
    expect(mine!.claims.edges.map((e) => e.node.id)).toEqual([claimIds[2], claimIds[1]]);
    expect(mine!.claims.pageInfo.hasNextPage).toBe(true);
    expect(theirs!.claims).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });

    const next = await entities(
      [{ __typename: 'Client', id: clientId }],
      `... on Client { claims(first: 2, after: "${mine!.claims.pageInfo.endCursor}") { edges { node { id } } pageInfo { hasNextPage } } }`,
    );
    const [nextPage] = next.data!._entities as {
      claims: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
    }[];
    expect(nextPage!.claims.edges.map((e) => e.node.id)).toEqual([claimIds[0]]);
    expect(nextPage!.claims.pageInfo.hasNextPage).toBe(false);

    const closed = await entities(
      [{ __typename: 'Client', id: clientId }],
      '... on Client { claims(status: CLOSED) { totalCount } }',
    );
    expect((closed.data!._entities as { claims: { totalCount: number } }[])[0]!.claims.totalCount).toBe(0);
  });

  it('extends Contract with its claims', async () => {
    const res = await entities(
      [
        { __typename: 'Contract', id: contractId },
        { __typename: 'Contract', id: randomUUID() },
      ],
      '... on Contract { id claims { id } }',
    );
    expect(res.errors).toBeUndefined();
    const contracts = res.data!._entities as { claims: { id: string }[] }[];
    expect(contracts[0]!.claims.map((c) => c.id)).toEqual([claimIds[1], claimIds[0]]);
    expect(contracts[1]!.claims).toEqual([]);
  });

  it('resolves Case references with their journal in time order', async () => {
    const res = await entities(
      [
        { __typename: 'Case', id: caseId },
        { __typename: 'Case', id: 'no-such-case' },
      ],
      '... on Case { id leadEmail intent status ownerUid siteId confidenceScore lastEventAt createdAt events(first: 3) { totalCount edges { node { id timestamp } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(res.errors).toBeUndefined();
    const cases = res.data!._entities as ({
      events: {
        totalCount: number;
        edges: { node: { id: string; timestamp: string } }[];
        pageInfo: { endCursor: string };
      };
    } | null)[];
    const found = cases[0]!;
    expect(found).toMatchObject({ id: caseId, leadEmail: 'marie.dupont@example.fr', confidenceScore: 85 });
    // five partner events, then the openings of the three claims linked to the case (now)
    expect(found.events.totalCount).toBe(8);
    expect(found.events.edges.map((e) => e.node.id)).toEqual(journal.slice(0, 3).map((j) => j.id));
    expect(found.events.edges.map((e) => e.node.timestamp)).toEqual(journal.slice(0, 3).map((j) => j.at));
    expect(cases[1]).toBeNull();

    const rest = await h.gql(
      graphql(`
        query CaseJournalAfter($id: ID!, $after: String) {
          case(id: $id) {
            events(first: 3, after: $after) {
              edges {
                node {
                  id
                }
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        }
      `),
      { id: caseId, after: found.events.pageInfo.endCursor },
    );
    expect(rest.data!.case!.events.edges.map((e) => e.node.id)).toEqual([
      ...journal.slice(3).map((j) => j.id),
      partnerEventId('claims', claimIds[0]!),
    ]);
    expect(rest.data!.case!.events.pageInfo.hasNextPage).toBe(true);
  });

  it('resolves CaseEvent references by their idempotent hash', async () => {
    const res = await entities(
      [
        { __typename: 'CaseEvent', id: journal[0]!.id },
        { __typename: 'CaseEvent', id: partnerEventId('WEB_CHAT', 'never-sent') },
      ],
      '... on CaseEvent { id type timestamp source sourceId payload summary }',
    );
    expect(res.errors).toBeUndefined();
    const caseEvents = res.data!._entities as unknown[];
    expect(caseEvents[0]).toMatchObject({
      id: journal[0]!.id,
      type: 'CALL_REQUESTED',
      source: 'WEB_CHAT',
      sourceId: `session-${caseId}-0`,
      payload: { reason: 'user_request', n: 0 },
      summary: { text: 'appel' },
    });
    expect(caseEvents[1]).toBeNull();
  });
});

describe('case(id) and the journal', () => {
  it('answers CASE.NOT_FOUND for an unknown case', async () => {
    const res = await h.gql(`{ case(id: "nope") { id } }`);
    expect(res.errors![0]!.extensions.code).toBe('CASE.NOT_FOUND');
  });

  it('keeps the journal immutable and idempotent (same source + source_id = same row)', async () => {
    const ds = h.service.runtime.dataSource;
    await expect(
      ds.query(`update case_events set source = 'X' where event_id = $1`, [journal[0]!.id]),
    ).rejects.toThrow(/immutable journal/);
    // another id for the same source + source_id: the database refuses it (its words sealed, as
    // stored, so that only the uniqueness can refuse it)
    await expect(
      ds.query(
        `insert into case_events (event_id, case_id, type, timestamp, source, source_id, payload)
         values ($1, $2, 'CALL_REQUESTED', now(), 'WEB_CHAT', $3, '"pd1:AAAA"')`,
        [randomUUID(), caseId, `session-${caseId}-0`],
      ),
    ).rejects.toThrow(/duplicate key/);
  });
});

describe('service', () => {
  it('serves liveness and readiness', async () => {
    const base = h.service.url.replace('/graphql', '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', events: 'ok' } });
  });
});
