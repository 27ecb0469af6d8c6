// A claim's reimbursements are bounded by the service itself, the newest kept (docs/security.md,
// Limits in place): one past the maximum is written straight to the table (bulk INSERT), and
// both paths (reimbursementsByClaim, Claim.reimbursements) return exactly the maximum, the
// newest, oldest first; a second claim in the same batch keeps its own (the limit is per claim).
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { startReimbursement } from '../../test/harness';
import { MAX_CLAIM_REIMBURSEMENTS } from './reimbursement.repository';

const h = perFile(() => startReimbursement('reimb_bounds', { relay: false }));

describe(`a claim's reimbursements: at most ${MAX_CLAIM_REIMBURSEMENTS}, the newest, oldest first`, () => {
  it('bounds reimbursementsByClaim and Claim.reimbursements per claim', async () => {
    const big = randomUUID();
    const small = randomUUID();
    // reimbursement g was requested g seconds after the base instant, for g euros
    await h.sql(
      `insert into remboursements (sinistre_id, montant_reclame, date_creation)
       select $1::uuid, g, timestamp '2026-01-01' + g * interval '1 second' from generate_series(1, $2::int) g
       union all
       select $3::uuid, g, timestamp '2026-01-01' + g * interval '1 second' from generate_series(1, 2) g`,
      [big, MAX_CLAIM_REIMBURSEMENTS + 1, small],
    );
    const newest = Array.from({ length: MAX_CLAIM_REIMBURSEMENTS }, (_, i) => `${i + 2}.00`);

    const byClaim = await h.gql(
      `query ($id: ID!) { reimbursementsByClaim(claimId: $id) { amountClaimed } }`,
      {
        id: big,
      },
    );
    expect(byClaim.errors).toBeUndefined();
    const list = byClaim.data!.reimbursementsByClaim as { amountClaimed: string }[];
    expect(list.map((r) => r.amountClaimed)).toEqual(newest);

    const refs = await h.gql(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Claim { reimbursements { amountClaimed } } } }`,
      { reps: [big, small].map((id) => ({ __typename: 'Claim', id })) },
    );
    expect(refs.errors).toBeUndefined();
    const claims = refs.data!._entities as { reimbursements: { amountClaimed: string }[] }[];
    expect(claims.map((c) => c.reimbursements.map((r) => r.amountClaimed))).toEqual([
      newest,
      ['1.00', '2.00'],
    ]);
  });
});
