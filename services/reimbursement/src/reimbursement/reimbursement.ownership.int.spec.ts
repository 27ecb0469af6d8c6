// Issue 14: "A policyholder sees only their own ... reimbursements". Over real HTTP with real
// internal tokens: a policyholder reads the reimbursements of his own claims by id, by claim and
// through the Claim entity; another policyholder is refused on each of these paths, field by
// field; a reimbursement whose claim this service does not know yet is staff only; partners
// read nothing; changes stay staff's. Whose claim it is comes from ClaimOpened, delivered
// through the real consumer.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import {
  ADVISOR,
  claimOpened,
  CREATE,
  PARTNER,
  policyholder,
  startReimbursement,
  UPDATE,
  type GqlResult,
  type Harness,
} from '../../test/harness';
import { graphql } from '../../test/generated';
import { KNOWN_CLAIMS_CONSUMER } from '../claim/claim.consumer';

const BY_ID = graphql(`
  query ReimbursementById($id: ID!) {
    reimbursement(id: $id) {
      id
      amountClaimed
      amountAccepted
      deductibleApplied
      rejectionReason
      acceptedAt
      paidAt
      paymentMethod
      status
      createdAt
      claim {
        id
      }
    }
  }
`);

const BY_CLAIM = graphql(`
  query ReimbursementsOfClaim($claimId: ID!) {
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
const CLAIM_ENTITIES = `query ($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Claim { id reimbursements { id amountClaimed status } } }
}`;
const REIMBURSEMENT_ENTITIES = `query ($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Reimbursement { id amountClaimed claim { id } } }
}`;

let h: Harness;
const clientA = randomUUID();
const clientB = randomUUID();
const claimA = randomUUID();
const claimB = randomUUID();
const claimUnknown = randomUUID();
const ids = { a1: '', a2: '', b: '', unknown: '' };

const A = policyholder(clientA);
const B = policyholder(clientB);
const CHAT_VISITOR: Principal = { sub: randomUUID(), roles: ['conversation'] };

/** the distinct error codes of an answer */
const codes = (r: GqlResult<unknown>) => [...new Set((r.errors ?? []).map((e) => e.extensions.code))];
const claimEntities = (claimIds: string[], as: Principal) =>
  h.gql(CLAIM_ENTITIES, { reps: claimIds.map((id) => ({ __typename: 'Claim', id })) }, as);
const reimbursementEntities = (reimbursementIds: string[], as: Principal) =>
  h.gql(
    REIMBURSEMENT_ENTITIES,
    { reps: reimbursementIds.map((id) => ({ __typename: 'Reimbursement', id })) },
    as,
  );

async function create(claimId: string, amountClaimed: string): Promise<string> {
  const r = await h.gql(CREATE, { input: { claimId, amountClaimed } });
  expect(r.errors).toBeUndefined();
  return r.data!.createReimbursement.id;
}

/** what a refused answer must not contain: the amounts of the other client's reimbursements */
function expectNothingOf(r: GqlResult<unknown>, ...amounts: string[]) {
  expect(codes(r)).toEqual(['AUTH.FORBIDDEN']);
  for (const amount of amounts) expect(JSON.stringify(r.data ?? null)).not.toContain(amount);
}

beforeAll(async () => {
  h = await startReimbursement('reimb_ownership');
  const opened = [
    h.event('ClaimOpened', claimOpened(claimA, clientA), claimA),
    h.event('ClaimOpened', claimOpened(claimB, clientB), claimB),
  ];
  await h.send(...opened);
  await h.processed(KNOWN_CLAIMS_CONSUMER, ...opened.map((e) => e.id));
  ids.a1 = await create(claimA, '1111.00');
  ids.a2 = await create(claimA, '2222.00');
  ids.b = await create(claimB, '3333.00');
  ids.unknown = await create(claimUnknown, '4444.00');
  const accepted = await h.gql(UPDATE, {
    input: { id: ids.a1, status: 'ACCEPTED', amountAccepted: '1000', deductibleApplied: '150' },
  });
  expect(accepted.errors).toBeUndefined();
});
afterAll(() => h?.stop());

describe("a policyholder reads his own claims' reimbursements", () => {
  it('by id, every field, and the claim it belongs to', async () => {
    const r = await h.gql(BY_ID, { id: ids.a1 }, A);
    expect(r.errors).toBeUndefined();
    expect(r.data!.reimbursement).toMatchObject({
      id: ids.a1,
      amountClaimed: '1111.00',
      amountAccepted: '1000.00',
      deductibleApplied: '150.00',
      rejectionReason: null,
      paidAt: null,
      status: 'ACCEPTED',
      claim: { id: claimA },
    });
    // the nested claim carries its owner too: its reimbursements are his
    const nested = await h.gql(
      `query($id: ID!) { reimbursement(id: $id) { claim { id reimbursements { id } } } }`,
      { id: ids.a1 },
      A,
    );
    expect(nested.errors).toBeUndefined();
    expect(nested.data).toEqual({
      reimbursement: { claim: { id: claimA, reimbursements: [{ id: ids.a1 }, { id: ids.a2 }] } },
    });
  });

  it('by claim, oldest first', async () => {
    const r = await h.gql(BY_CLAIM, { claimId: claimA }, A);
    expect(r.errors).toBeUndefined();
    expect(r.data!.reimbursementsByClaim.map((x) => [x.id, x.amountClaimed, x.claim.id])).toEqual([
      [ids.a1, '1111.00', claimA],
      [ids.a2, '2222.00', claimA],
    ]);
  });

  it('through the Claim and Reimbursement entities (the path the gateway takes from Claim.reimbursements)', async () => {
    const claims = await claimEntities([claimA], A);
    expect(claims.errors).toBeUndefined();
    expect(claims.data!._entities).toEqual([
      {
        id: claimA,
        reimbursements: [
          { id: ids.a1, amountClaimed: '1111.00', status: 'ACCEPTED' },
          { id: ids.a2, amountClaimed: '2222.00', status: 'PENDING' },
        ],
      },
    ]);
    const refs = await reimbursementEntities([ids.a2], A);
    expect(refs.errors).toBeUndefined();
    expect(refs.data!._entities).toEqual([{ id: ids.a2, amountClaimed: '2222.00', claim: { id: claimA } }]);
  });
});

describe("another policyholder's reimbursements are refused on every path", () => {
  it('by id, field by field', async () => {
    const all = await h.gql(BY_ID, { id: ids.a1 }, B);
    expect(all.data?.reimbursement ?? null).toBeNull();
    expectNothingOf(all, '1111', '1000', '150');
    for (const field of ['id', 'amountClaimed', 'status', 'rejectionReason', 'claim { id }']) {
      const one = await h.gql(`query($id: ID!) { reimbursement(id: $id) { ${field} } }`, { id: ids.a1 }, B);
      expect({ field, codes: codes(one) }).toEqual({ field, codes: ['AUTH.FORBIDDEN'] });
      // the refusal names the field (AuthError carries no path)
      expect(one.errors!.map((e) => e.message.split(' ')[0])).toEqual([
        `Reimbursement.${field.split(' ')[0]}`,
      ]);
      expectNothingOf(one, '1111', claimA);
    }
    // his own stays open to him
    const own = await h.gql(BY_ID, { id: ids.b }, B);
    expect(own.errors).toBeUndefined();
    expect(own.data!.reimbursement).toMatchObject({ id: ids.b, amountClaimed: '3333.00' });
  });

  it('by claim, field by field', async () => {
    const r = await h.gql(BY_CLAIM, { claimId: claimA }, B);
    expect(r.data ?? null).toBeNull();
    expectNothingOf(r, '1111', '2222', ids.a1, ids.a2);
    for (const field of ['id', 'amountClaimed', 'status']) {
      const one = await h.gql(
        `query($c: ID!) { reimbursementsByClaim(claimId: $c) { ${field} } }`,
        { c: claimA },
        B,
      );
      expect(new Set(one.errors!.map((e) => e.message.split(' ')[0]))).toEqual(
        new Set([`Reimbursement.${field}`]),
      );
      expectNothingOf(one, '1111', '2222', ids.a1);
    }
  });

  it('through the Claim and Reimbursement entities, field by field', async () => {
    const claims = await claimEntities([claimA], B);
    expect(claims.data?._entities ?? [null]).toEqual([null]);
    expectNothingOf(claims, '1111', '2222', ids.a1);
    const list = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Claim { reimbursements { amountClaimed } } } }`,
      { reps: [{ __typename: 'Claim', id: claimA }] },
      B,
    );
    expect(list.errors!.map((e) => e.message.split(' ')[0])).toEqual(['Claim.reimbursements']);
    expectNothingOf(list, '1111', '2222');
    const refs = await reimbursementEntities([ids.a1], B);
    expect(refs.data?._entities ?? [null]).toEqual([null]);
    expectNothingOf(refs, '1111', claimA);
    const amount = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Reimbursement { amountClaimed } } }`,
      { reps: [{ __typename: 'Reimbursement', id: ids.a1 }] },
      B,
    );
    expect(amount.errors!.map((e) => e.message.split(' ')[0])).toEqual(['Reimbursement.amountClaimed']);
    expectNothingOf(amount, '1111');
    // a batch mixing his own and another's: his own resolves, the other's does not
    const mixed = await claimEntities([claimB, claimA], B);
    expect(mixed.data!._entities).toEqual([
      { id: claimB, reimbursements: [{ id: ids.b, amountClaimed: '3333.00', status: 'PENDING' }] },
      null,
    ]);
    expectNothingOf(mixed, '1111', '2222');
  });
});

describe('a reimbursement of a claim this service does not know', () => {
  it('is staff only, until ClaimOpened says whose claim it is', async () => {
    const amountById = `query($id: ID!) { reimbursement(id: $id) { amountClaimed } }`;
    const amountsByClaim = `query($c: ID!) { reimbursementsByClaim(claimId: $c) { amountClaimed } }`;
    for (const who of [A, B]) {
      expectNothingOf(await h.gql(BY_ID, { id: ids.unknown }, who), '4444');
      expectNothingOf(await h.gql(amountById, { id: ids.unknown }, who), '4444');
      expectNothingOf(await h.gql(BY_CLAIM, { claimId: claimUnknown }, who), '4444');
      expectNothingOf(await h.gql(amountsByClaim, { c: claimUnknown }, who), '4444');
      expectNothingOf(await claimEntities([claimUnknown], who), '4444');
      expectNothingOf(await reimbursementEntities([ids.unknown], who), '4444');
    }
    const staff = await h.gql(BY_ID, { id: ids.unknown }, ADVISOR);
    expect(staff.errors).toBeUndefined();
    expect(staff.data!.reimbursement).toMatchObject({
      amountClaimed: '4444.00',
      claim: { id: claimUnknown },
    });
    const staffEntities = await claimEntities([claimUnknown], ADVISOR);
    expect(staffEntities.errors).toBeUndefined();

    const opened = h.event('ClaimOpened', claimOpened(claimUnknown, clientA), claimUnknown);
    await h.send(opened);
    await h.processed(KNOWN_CLAIMS_CONSUMER, opened.id);
    const now = await h.gql(BY_ID, { id: ids.unknown }, A);
    expect(now.errors).toBeUndefined();
    expect(now.data!.reimbursement).toMatchObject({ amountClaimed: '4444.00' });
    expectNothingOf(await h.gql(BY_ID, { id: ids.unknown }, B), '4444');
  });
});

describe('partners and chat visitors', () => {
  it('read no reimbursement on any path', async () => {
    for (const who of [PARTNER, CHAT_VISITOR]) {
      const byId = await h.gql(BY_ID, { id: ids.a1 }, who);
      // refused at the root field, before any row is read
      expect(byId.errors!.map((e) => e.message.split(' ')[0])).toEqual(['Query.reimbursement']);
      expectNothingOf(byId, '1111');
      expectNothingOf(await h.gql(BY_CLAIM, { claimId: claimA }, who), '1111');
      expectNothingOf(await claimEntities([claimA], who), '1111');
      expectNothingOf(await reimbursementEntities([ids.a1], who), '1111');
    }
  });
});

describe('changes', () => {
  it('stay staff: a policyholder neither requests nor decides a reimbursement of his own claim', async () => {
    const created = await h.gql(CREATE, { input: { claimId: claimA, amountClaimed: '99999.00' } }, A);
    expect(codes(created)).toEqual(['AUTH.FORBIDDEN']);
    const accepted = await h.gql(
      UPDATE,
      { input: { id: ids.a2, status: 'ACCEPTED', amountAccepted: '2222.00' } },
      A,
    );
    expect(codes(accepted)).toEqual(['AUTH.FORBIDDEN']);
    const rows = await h.sql<{ id: string; statut: string }>(
      `SELECT id, statut FROM remboursements WHERE sinistre_id = $1 ORDER BY date_creation, id`,
      [claimA],
    );
    expect(rows).toEqual([
      { id: ids.a1, statut: 'accepté' },
      { id: ids.a2, statut: 'en_attente' },
    ]);
  });
});
