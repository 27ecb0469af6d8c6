// Issue 4, item 2: "a test counts the SQL statements of a 50-claim query". Every list field
// and every entity reference goes through a request-scoped DataLoader, so the number of
// statements of a query depends on its SHAPE (how many distinct fields fetch data), never on
// how many claims, clients or actions it returns. The test measures the same query shapes at
// two sizes and requires the counts to be equal and small.
import { randomUUID } from 'node:crypto';
import { declaration, OPEN_CLAIM, startClaims, type GqlResult, type Harness } from '../test/harness';
import { graphql } from '../test/generated';

let h: Harness;
const statements: string[] = [];
let counting = false;

beforeAll(async () => {
  h = await startClaims('claims_n1', {
    onQuery: (sql) => {
      if (counting) statements.push(sql);
    },
  });
});
afterAll(() => h?.stop());

/** Runs one GraphQL request (`() => h.gql(...)`) and returns the SQL statements it sent. */
async function measure<T>(request: () => Promise<GqlResult<T>>): Promise<{ data: T; sql: string[] }> {
  statements.length = 0;
  counting = true;
  const res = await request();
  counting = false;
  expect(res.errors).toBeUndefined();
  return { data: res.data!, sql: [...statements] };
}

/** `perClient` claims for each of `clients` fresh clients, each claim on a case; returns their ids. */
async function seed(
  clients: number,
  perClient: number,
): Promise<{ clientIds: string[]; claimIds: string[] }> {
  const clientIds = Array.from({ length: clients }, () => randomUUID());
  const claimIds: string[] = [];
  for (const clientId of clientIds) {
    const caseId = `case-${randomUUID()}`;
    await h.seedCase({
      id: caseId,
      leadId: `${clientId}@example.fr`,
      intent: 'SINISTRE',
      status: 'NEW',
      siteId: 'web',
    });
    for (let i = 0; i < perClient; i++) {
      const res = await h.gql(
        OPEN_CLAIM,
        // photos missing: every claim gets at least two recommended actions (constat + documents)
        { input: declaration({ clientId, caseId, photoUrls: [] }) },
      );
      claimIds.push(res.data!.openClaim.id);
    }
  }
  return { clientIds, claimIds };
}

const LIST = graphql(`
  query ClaimsWithTheirLinks($n: Int!) {
    claims(first: $n) {
      totalCount
      edges {
        node {
          id
          claimNumber
          status
          client {
            id
          }
          recommendedActions {
            type
            priority
          }
          case {
            id
            leadEmail
          }
          activity {
            kind
            label
            at
          }
        }
      }
    }
  }
`);

// _entities is federation's, not in the SDL: codegen cannot type it, so this one stays a plain
// string and its result is read through narrow casts below
const ENTITIES = `query ($claims: [_Any!]!, $clients: [_Any!]!) {
  claimRefs: _entities(representations: $claims) {
    ... on Claim { id cciScore recommendedActions { type } case { id } }
  }
  clientRefs: _entities(representations: $clients) {
    ... on Client { id claims(first: 100) { totalCount edges { node { id recommendedActions { type } } } } }
  }
}`;

describe('statements per query do not grow with the number of claims (no N+1)', () => {
  it('lists 50 claims with their actions and case, and resolves 50 Claim + 10 Client references, in a constant number of statements', async () => {
    // small world first (5 claims), measured alone
    const small = await seed(1, 5);
    const smallList = await measure(() => h.gql(LIST, { n: 5 }));
    expect(smallList.data.claims.totalCount).toBe(5);
    const smallEntities = await measure(() =>
      h.gql(ENTITIES, {
        claims: small.claimIds.map((id) => ({ __typename: 'Claim', id })),
        clients: small.clientIds.map((id) => ({ __typename: 'Client', id })),
      }),
    );

    // then 50 more claims: 10 clients x 5 claims
    const big = await seed(10, 5);
    const bigList = await measure(() => h.gql(LIST, { n: 50 }));
    expect(bigList.data.claims.edges).toHaveLength(50);
    expect(bigList.data.claims.totalCount).toBe(55);
    // the data really is there: actions and a case for every claim
    expect(bigList.data.claims.edges.every((e) => e.node.recommendedActions.length >= 2 && e.node.case)).toBe(
      true,
    );
    // and an activity for every claim (photos missing: the « information manquante » alert)
    expect(bigList.data.claims.edges.every((e) => e.node.activity.some((a) => a.kind === 'ALERT'))).toBe(
      true,
    );

    const bigEntities = await measure(() =>
      h.gql(ENTITIES, {
        claims: big.claimIds.map((id) => ({ __typename: 'Claim', id })),
        clients: big.clientIds.map((id) => ({ __typename: 'Client', id })),
      }),
    );
    expect((bigEntities.data.claimRefs as ({ id: string } | null)[]).map((c) => c?.id)).toEqual(big.claimIds);
    expect(
      (bigEntities.data.clientRefs as { claims: { totalCount: number; edges: unknown[] } }[]).every(
        (c) => c.claims.totalCount === 5 && c.claims.edges.length === 5,
      ),
    ).toBe(true);

    // The list: 1 page of claims + 1 count (totalCount) + 1 batch of actions + 1 batch of cases
    // + 1 batch of the cases' journal entries the activity shows + 1 batch of the entries
    // recorded by hand (rows of their own since the soak, not a column of every claim) + 1 batch
    // of the claims' data keys (their words are sealed: issue 18; keys made by the transactions
    // that opened the claims are not cached before they commit, so this first read looks them up
    // once, all in one statement) = 7.
    // The references: 1 batch of Claim rows, 1 page of claims for all 10 clients together
    // (row_number() per client), 1 GROUP BY count for all clients, 1 batch of cases, and the
    // recommended actions of both lists: 1 batch when both lists resolve in the same tick
    // (measured: 5 in all), 2 when they do not, hence the bound of 6. None depends on N.
    const report = {
      list: { n5: smallList.sql.length, n50: bigList.sql.length },
      entities: { n5: smallEntities.sql.length, n50: bigEntities.sql.length },
    };
    process.stdout.write(`[claims N+1] statements per request: ${JSON.stringify(report)}\n`);
    expect(bigList.sql.length).toBe(smallList.sql.length);
    expect(bigEntities.sql.length).toBe(smallEntities.sql.length);
    expect(bigList.sql.length).toBeLessThanOrEqual(7);
    expect(bigEntities.sql.length).toBeLessThanOrEqual(6);
  });
});
