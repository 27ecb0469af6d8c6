// Whose claim a reimbursement is must not cost a statement per reimbursement: reads join the
// claims this service knows, and Claim references are loaded in one batch. The same query
// shapes, asked by the policyholder who owns everything, are measured with 5 and with 50
// reimbursements (and claims): the statement counts must be equal and small.
import { randomUUID } from 'node:crypto';
import {
  claimOpened,
  policyholder,
  startReimbursement,
  type GqlResult,
  type Harness,
} from '../../test/harness';
import { graphql } from '../../test/generated';
import { KNOWN_CLAIMS_CONSUMER } from '../claim/claim.consumer';

let h: Harness;
const statements: string[] = [];
let counting = false;
const clientId = randomUUID();
const owner = policyholder(clientId);

beforeAll(async () => {
  // no relay: nothing but the measured request talks to the database while counting
  h = await startReimbursement('reimb_n1', {
    relay: false,
    onQuery: (sql) => {
      if (counting) statements.push(sql);
    },
  });
});
afterAll(() => h?.stop());

async function measure<T>(request: () => Promise<GqlResult<T>>): Promise<{ data: T; sql: string[] }> {
  statements.length = 0;
  counting = true;
  const res = await request();
  counting = false;
  expect(res.errors).toBeUndefined();
  return { data: res.data!, sql: [...statements] };
}

/**
 * The owner's world of size n: one claim with n reimbursements, and n claims with one each,
 * every claim known through ClaimOpened. Rows are written straight to the table (the API's
 * writes are not what is measured).
 */
async function world(n: number) {
  const bigClaim = randomUUID();
  const claims = Array.from({ length: n }, () => randomUUID());
  const opened = [bigClaim, ...claims].map((id) => h.event('ClaimOpened', claimOpened(id, clientId), id));
  await h.send(...opened);
  await h.processed(KNOWN_CLAIMS_CONSUMER, ...opened.map((e) => e.id));
  await h.sql(
    `INSERT INTO remboursements (sinistre_id, montant_reclame) SELECT $1, 10 + g FROM generate_series(1, $2) g`,
    [bigClaim, n],
  );
  const rows = await h.sql<{ id: string; sinistre_id: string }>(
    `INSERT INTO remboursements (sinistre_id, montant_reclame)
     SELECT c, 20 FROM unnest($1::uuid[]) c RETURNING id, sinistre_id`,
    [claims],
  );
  const reimbursementOf = new Map(rows.map((r) => [r.sinistre_id, r.id]));
  return { bigClaim, claims, reimbursements: claims.map((c) => reimbursementOf.get(c)!) };
}

const BY_CLAIM = graphql(`
  query ReimbursementsOfOneClaim($claimId: ID!) {
    reimbursementsByClaim(claimId: $claimId) {
      id
      amountClaimed
      status
      claim {
        id
      }
    }
  }
`);

// _entities is federation's, not in the SDL: a plain string, read through narrow casts
const ENTITIES = `query ($claims: [_Any!]!, $reimbursements: [_Any!]!) {
  claimRefs: _entities(representations: $claims) {
    ... on Claim { id reimbursements { id status claim { id } } }
  }
  reimbursementRefs: _entities(representations: $reimbursements) {
    ... on Reimbursement { id amountClaimed claim { id reimbursements { id } } }
  }
}`;

const entities = (w: Awaited<ReturnType<typeof world>>) =>
  h.gql(
    ENTITIES,
    {
      claims: w.claims.map((id) => ({ __typename: 'Claim', id })),
      reimbursements: w.reimbursements.map((id) => ({ __typename: 'Reimbursement', id })),
    },
    owner,
  );

describe("the policyholder's reads do not grow with the number of reimbursements (no N+1)", () => {
  it('reads 5 and 50 reimbursements by claim and through the entities in the same few statements', async () => {
    const small = await world(5);
    const smallByClaim = await measure(() => h.gql(BY_CLAIM, { claimId: small.bigClaim }, owner));
    expect(smallByClaim.data.reimbursementsByClaim).toHaveLength(5);
    const smallEntities = await measure(() => entities(small));

    const big = await world(50);
    const bigByClaim = await measure(() => h.gql(BY_CLAIM, { claimId: big.bigClaim }, owner));
    expect(bigByClaim.data.reimbursementsByClaim).toHaveLength(50);
    expect(bigByClaim.data.reimbursementsByClaim.every((r) => r.claim.id === big.bigClaim)).toBe(true);
    const bigEntities = await measure(() => entities(big));
    const claimRefs = bigEntities.data.claimRefs as { id: string; reimbursements: { id: string }[] }[];
    expect(claimRefs.map((c) => c.id)).toEqual(big.claims);
    expect(claimRefs.map((c) => c.reimbursements.map((r) => r.id))).toEqual(
      big.reimbursements.map((id) => [id]),
    );
    const refs = bigEntities.data.reimbursementRefs as { id: string; claim: { reimbursements: unknown[] } }[];
    expect(refs.map((r) => r.id)).toEqual(big.reimbursements);
    expect(refs.every((r) => r.claim.reimbursements.length === 1)).toBe(true);

    // By claim: 1 statement (the reimbursements joined with the claims known here).
    // The entities: 1 batch of Claim references (sinistres_connus), 1 batch of Reimbursement
    // rows (joined), and the reimbursements of both lists' claims: 1 batch when they resolve in
    // the same tick, 2 when they do not, hence the bound of 4. None depends on N.
    const report = {
      byClaim: { n5: smallByClaim.sql.length, n50: bigByClaim.sql.length },
      entities: { n5: smallEntities.sql.length, n50: bigEntities.sql.length },
    };
    process.stdout.write(`[reimbursement N+1] statements per request: ${JSON.stringify(report)}\n`);
    expect(bigByClaim.sql.length).toBe(smallByClaim.sql.length);
    expect(bigEntities.sql.length).toBe(smallEntities.sql.length);
    expect(bigByClaim.sql.length).toBe(1);
    expect(bigEntities.sql.length).toBeLessThanOrEqual(4);
  });
});
