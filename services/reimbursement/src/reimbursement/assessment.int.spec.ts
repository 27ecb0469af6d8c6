// A reimbursement computed from the contract (issue 19), through the real consumers (in-process
// transport, real database): identity's ContractIssued and claims' ClaimOpened feed the
// projections; once both are known a claim with an estimate gets its automatic proposal, or is
// rejected with the reason; accepting takes the proposal; departing from it needs a reason.
import { randomUUID } from 'node:crypto';
import { perFile, lockWaiters, waitFor } from '@crm/testing';
import { Client } from 'pg';
import {
  BY_CLAIM,
  claimOpened,
  contractIssued,
  CREATE_ASSESSED,
  startReimbursement,
  UPDATE_ASSESSED,
} from '../../test/harness';
import { KNOWN_CLAIMS_CONSUMER } from '../claim/claim.consumer';
import { KNOWN_CONTRACTS_CONSUMER } from '../contract/contract.consumer';

const h = perFile(() => startReimbursement('reimb_assessment'));

const ids = () => ({ claimId: randomUUID(), clientId: randomUUID(), contractId: randomUUID() });

async function issue(contractId: string, clientId: string, over: Parameters<typeof contractIssued>[2] = {}) {
  const e = h.event('ContractIssued', contractIssued(contractId, clientId, over), contractId);
  await h.send(e);
  await h.processed(KNOWN_CONTRACTS_CONSUMER, e.id);
}
async function open(
  claimId: string,
  clientId: string,
  contractId: string | null,
  over: Partial<ReturnType<typeof claimOpened>> = {},
) {
  const e = h.event('ClaimOpened', { ...claimOpened(claimId, clientId, contractId), ...over }, claimId);
  await h.send(e);
  await h.processed(KNOWN_CLAIMS_CONSUMER, e.id);
}
async function reimbursementsOf(claimId: string) {
  const r = await h.gql(BY_CLAIM, { claimId });
  expect(r.errors).toBeUndefined();
  return r.data!.reimbursementsByClaim;
}
const COLLISION = {
  estimatedDamage: '1200.00',
  thirdPartyInvolved: true,
  thirdPartyResponsible: true,
  status: 'IN_PROGRESS' as const,
};

describe('the automatic proposal', () => {
  it('contract then claim: a collision with a responsible third party proposes the estimate less the collision deductible', async () => {
    const { claimId, clientId, contractId } = ids();
    await issue(contractId, clientId);
    await open(claimId, clientId, contractId, COLLISION);
    const [r] = await reimbursementsOf(claimId);
    expect(r).toMatchObject({
      status: 'PENDING',
      origin: 'AUTOMATIC',
      amountClaimed: '1200.00',
      assessment: {
        outcome: 'COVERED',
        code: null,
        coverage: 'couverture_dommage_materiel',
        deductibleKind: 'franchise_tiers_collision',
        deductible: '300.00',
        contractId,
        rulesVersion: 'couverture-v1',
      },
      proposal: { amountAccepted: '1200.00', deductibleApplied: '300.00', amountPaid: '900.00' },
      override: null,
    });
    const created = await h.outbox('ReimbursementCreated');
    expect(created.filter((e) => e.subject === r!.id)).toHaveLength(1);

    // one advisor decision: accept, amounts from the proposal
    const accepted = await h.gql(UPDATE_ASSESSED, { input: { id: r!.id, status: 'ACCEPTED' } });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.updateReimbursement).toMatchObject({
      status: 'ACCEPTED',
      amountAccepted: '1200.00',
      deductibleApplied: '300.00',
      override: null,
    });
    const [event] = (await h.outbox('ReimbursementAccepted')).filter((e) => e.subject === r!.id);
    expect(event!.data).toMatchObject({ claimId, amountAcceptedCents: 120000, deductibleCents: 30000 });
  });

  it('claim then contract: the contract consumer makes the proposal the claim waited for; franchise_tiers without a responsible third party', async () => {
    const { claimId, clientId, contractId } = ids();
    await open(claimId, clientId, contractId, { ...COLLISION, thirdPartyResponsible: false });
    expect(await reimbursementsOf(claimId)).toEqual([]);
    await issue(contractId, clientId);
    const [r] = await reimbursementsOf(claimId);
    expect(r).toMatchObject({
      origin: 'AUTOMATIC',
      assessment: { deductibleKind: 'franchise_tiers', deductible: '150.00' },
      proposal: { amountPaid: '1050.00' },
    });
  });

  it('a suspended contract: rejected at once with the reason, ReimbursementRejected published', async () => {
    const { claimId, clientId, contractId } = ids();
    await issue(contractId, clientId, { status: 'SUSPENDED' });
    await open(claimId, clientId, contractId, COLLISION);
    const [r] = await reimbursementsOf(claimId);
    expect(r).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Contrat suspendu : aucune garantie ne s’applique',
      assessment: { outcome: 'NOT_COVERED', code: 'CONTRACT_SUSPENDED' },
      proposal: null,
    });
    const [rejected] = (await h.outbox('ReimbursementRejected')).filter((e) => e.subject === r!.id);
    expect(rejected!.data).toMatchObject({
      claimId,
      reason: 'Contrat suspendu : aucune garantie ne s’applique',
      previousStatus: 'PENDING',
    });
  });

  it('once per claim: a redelivered contract or claim proposes nothing more; no estimate, no proposal', async () => {
    const { claimId, clientId, contractId } = ids();
    const contract = h.event('ContractIssued', contractIssued(contractId, clientId), contractId);
    const claim = h.event(
      'ClaimOpened',
      { ...claimOpened(claimId, clientId, contractId), ...COLLISION },
      claimId,
    );
    await h.send(contract, claim, contract, claim);
    await h.processed(KNOWN_CONTRACTS_CONSUMER, contract.id);
    await h.processed(KNOWN_CLAIMS_CONSUMER, claim.id);
    expect(await reimbursementsOf(claimId)).toHaveLength(1);

    const bare = randomUUID();
    await open(bare, clientId, contractId);
    expect(await reimbursementsOf(bare)).toEqual([]);
    // a claim an advisor opened: he requests its reimbursement himself
    const byAdvisor = randomUUID();
    await open(byAdvisor, clientId, contractId, { ...COLLISION, channel: 'ADVISOR' });
    expect(await reimbursementsOf(byAdvisor)).toEqual([]);
  });

  it('the claim status follows ClaimStatusChanged; a claim closed before its contract is known gets no proposal', async () => {
    const { claimId, clientId, contractId } = ids();
    await open(claimId, clientId, contractId, COLLISION);
    const closed = h.event('ClaimStatusChanged', { claimId, from: 'IN_PROGRESS', to: 'CLOSED' }, claimId);
    await h.send(closed);
    await h.processed(KNOWN_CLAIMS_CONSUMER, closed.id);
    await waitFor('the status recorded', async () => {
      const [row] = await h.sql<{ status_dossier: string }>(
        `select status_dossier from sinistres_connus where sinistre_id = $1`,
        [claimId],
      );
      return row?.status_dossier === 'CLOSED';
    });
    await issue(contractId, clientId);
    expect(await reimbursementsOf(claimId)).toEqual([]);
  });
});

describe('an advisor requesting and overriding', () => {
  it('amounts that depart from the proposal need a reason, then the override is recorded with who and what was proposed', async () => {
    const { claimId, clientId, contractId } = ids();
    await issue(contractId, clientId);
    await open(claimId, clientId, contractId, { thirdPartyInvolved: true, thirdPartyResponsible: true });
    const created = await h.gql(CREATE_ASSESSED, { input: { claimId, amountClaimed: '800.00' } });
    const r = created.data!.createReimbursement;
    expect(r).toMatchObject({
      origin: 'ADVISOR',
      proposal: { amountAccepted: '800.00', deductibleApplied: '300.00' },
    });

    const refused = await h.gql(UPDATE_ASSESSED, {
      input: { id: r.id, status: 'ACCEPTED', deductibleApplied: '0' },
    });
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'REIMBURSEMENT.OVERRIDE_REASON_REQUIRED',
      details: { proposed: { amountAccepted: '800.00', deductibleApplied: '300.00', amountPaid: '500.00' } },
    });
    const accepted = await h.gql(UPDATE_ASSESSED, {
      input: {
        id: r.id,
        status: 'ACCEPTED',
        deductibleApplied: '0',
        overrideReason: 'Tiers identifié et assuré : recours, franchise non appliquée',
      },
    });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.updateReimbursement).toMatchObject({
      amountAccepted: '800.00',
      deductibleApplied: '0.00',
      override: {
        reason: 'Tiers identifié et assuré : recours, franchise non appliquée',
        actorKind: 'advisor',
        actorId: 'adv-42',
        proposed: { amountAccepted: '800.00', deductibleApplied: '300.00' },
        amountAccepted: '800.00',
        deductibleApplied: '0.00',
      },
    });
  });

  it('a contract that does not apply rejects at creation, unless the advisor overrides with his reason', async () => {
    const { claimId, clientId, contractId } = ids();
    await issue(contractId, clientId, { status: 'TERMINATED' });
    await open(claimId, clientId, contractId, { thirdPartyResponsible: true });
    const rejected = await h.gql(CREATE_ASSESSED, { input: { claimId, amountClaimed: '500.00' } });
    expect(rejected.data!.createReimbursement).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Contrat résilié : aucune garantie ne s’applique',
      assessment: { code: 'CONTRACT_TERMINATED' },
    });
    const overridden = await h.gql(CREATE_ASSESSED, {
      input: { claimId, amountClaimed: '500.00', overrideReason: 'Geste commercial validé par la direction' },
    });
    expect(overridden.data!.createReimbursement).toMatchObject({
      status: 'PENDING',
      assessment: { outcome: 'NOT_COVERED' },
      override: { reason: 'Geste commercial validé par la direction', proposed: null },
    });
  });

  it('no coverage found in the garanties: PENDING with the reason and nothing proposed, never automatic', async () => {
    const { claimId, clientId, contractId } = ids();
    await issue(contractId, clientId, {
      propertyDamageCover: false,
      thirdPartyCover: false,
      coverages: ['rc'],
    });
    await open(claimId, clientId, contractId, COLLISION);
    // the bot's declaration with an estimate: no automatic reimbursement (the advisor decides)
    expect(await reimbursementsOf(claimId)).toEqual([]);
    const created = await h.gql(CREATE_ASSESSED, { input: { claimId, amountClaimed: '500.00' } });
    expect(created.data!.createReimbursement).toMatchObject({
      status: 'PENDING',
      assessment: {
        outcome: 'NOT_COVERED',
        code: 'NO_COVERAGE',
        reason: 'Aucune garantie du contrat ne couvre un sinistre de type collision',
      },
      proposal: null,
    });
  });

  it('a claim unknown here: UNKNOWN, PENDING, the advisor types the amounts as before', async () => {
    const created = await h.gql(CREATE_ASSESSED, {
      input: { claimId: randomUUID(), amountClaimed: '80.00' },
    });
    expect(created.data!.createReimbursement).toMatchObject({
      status: 'PENDING',
      assessment: { outcome: 'UNKNOWN', code: 'CLAIM_UNKNOWN' },
      proposal: null,
    });
  });
});

describe('a reimbursement requested before the claim was known here', () => {
  it('is assessed when the claim, then its contract, arrive: its proposal shows and other amounts need a reason', async () => {
    const { claimId, clientId, contractId } = ids();
    // the advisor is quicker than the events: nothing is known here yet
    const created = await h.gql(CREATE_ASSESSED, { input: { claimId, amountClaimed: '1200.00' } });
    const early = created.data!.createReimbursement;
    expect(early).toMatchObject({ status: 'PENDING', assessment: { outcome: 'UNKNOWN' }, proposal: null });

    await open(claimId, clientId, contractId, { ...COLLISION, channel: 'ADVISOR' });
    // the claim alone says nothing of the contract: still unknown
    expect((await reimbursementsOf(claimId))[0]).toMatchObject({
      assessment: { outcome: 'UNKNOWN', code: 'CONTRACT_UNKNOWN' },
    });
    await issue(contractId, clientId);
    const [assessed] = await reimbursementsOf(claimId);
    expect(assessed).toMatchObject({
      id: early.id,
      status: 'PENDING',
      assessment: { outcome: 'COVERED', deductibleKind: 'franchise_tiers_collision' },
    });
    expect(assessed!.proposal).not.toBeNull();

    const departing = await h.gql(UPDATE_ASSESSED, {
      input: { id: early.id, status: 'ACCEPTED', amountAccepted: '1000.00', deductibleApplied: '0.00' },
    });
    expect(departing.errors?.[0]?.extensions?.code).toBe('REIMBURSEMENT.OVERRIDE_REASON_REQUIRED');
  });
});

describe('a reimbursement requested while the claim or its contract arrives', () => {
  // The race a loaded CI run hit: the request's transaction read "claim unknown" while the
  // consumer recorded the claim, and the consumer's reassessment did not see the request's
  // uncommitted row, so the reimbursement stayed UNKNOWN for good. Made deterministic here: the
  // test holds a SHARE lock on remboursements, so the request stops at its insert (after it
  // assessed) while the event is delivered, then lets it go.
  let holder: Client;
  beforeEach(async () => {
    holder = new Client({ connectionString: h.db.url });
    await holder.connect();
  });
  afterEach(() => holder.end());

  // watched from the harness's pool, outside the holder's transaction (which would freeze it)
  const waiters = (kind: 'relation' | 'advisory') => lockWaiters(h.sql, { events: [kind] });

  /** the request stopped after its assessment; `arrive` delivers the event meanwhile */
  async function requestWhile(claimId: string, arrive: () => Promise<string>, consumer: string) {
    await holder.query('begin');
    await holder.query('lock table remboursements in share mode');
    const request = h.gql(CREATE_ASSESSED, { input: { claimId, amountClaimed: '1200.00' } });
    await waitFor('the request to wait at its insert', async () => (await waiters('relation')) >= 1);
    const eventId = await arrive();
    // the consumer either ran past the request (the race) or waits for it (its claim's lock)
    await waitFor(
      'the consumer to finish or to wait for the request',
      async () => (await h.processedCount(consumer, [eventId])) === 1 || (await waiters('advisory')) >= 1,
    );
    await holder.query('commit');
    const created = await request;
    expect(created.errors).toBeUndefined();
    await h.processed(consumer, eventId);
    return created.data!.createReimbursement.id;
  }

  it('the claim arriving: the reimbursement is assessed against it', async () => {
    const { claimId, clientId, contractId } = ids();
    await issue(contractId, clientId);
    const id = await requestWhile(
      claimId,
      async () => {
        const e = h.event(
          'ClaimOpened',
          { ...claimOpened(claimId, clientId, contractId), ...COLLISION, channel: 'ADVISOR' },
          claimId,
        );
        await h.send(e);
        return e.id;
      },
      KNOWN_CLAIMS_CONSUMER,
    );
    const [r] = await reimbursementsOf(claimId);
    expect(r).toMatchObject({ id, assessment: { outcome: 'COVERED', contractId } });
  });

  it('its contract arriving: the reimbursement is assessed against it', async () => {
    const { claimId, clientId, contractId } = ids();
    await open(claimId, clientId, contractId, { ...COLLISION, channel: 'ADVISOR' });
    const id = await requestWhile(
      claimId,
      async () => {
        const e = h.event('ContractIssued', contractIssued(contractId, clientId), contractId);
        await h.send(e);
        return e.id;
      },
      KNOWN_CONTRACTS_CONSUMER,
    );
    const [r] = await reimbursementsOf(claimId);
    expect(r).toMatchObject({ id, assessment: { outcome: 'COVERED', contractId } });
  });
});
