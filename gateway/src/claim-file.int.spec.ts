// Issue 19's "Done when": the claim file moves by itself. The claims and reimbursement services
// run as real processes on the real PostgreSQL (a database each) and the real Kafka broker (a
// namespace of their own); the test plays the other domains by publishing their events on the
// namespaced topics (identity's ContractIssued, the bot's IntakeCompleted, escalation's
// EscalationStarted) and reads both subgraphs with gateway tokens. Nothing moves a claim by
// hand: every status change comes from an event or from the advisor's one decision (accepting
// the proposed amount); the payment is recorded as the payment system would.
import { randomUUID } from 'node:crypto';
import { newEvent, topicForEventType, type AnyEvent, type EventDataMap } from '@crm/events';
import {
  callSubgraph,
  createTestDatabase,
  deleteNamespaceTopics,
  hoursAgo,
  integrationEnv,
  randomSuffix,
  plannedPorts,
  startSubgraphProcess,
  testKafka,
  waitFor,
  TEST_INTERNAL_KEYS,
  type RunningProcess,
  type TestDatabase,
} from '@crm/testing';
import type { Producer } from 'kafkajs';

const ADVISOR = { sub: '5d0f3c1e-2a4b-4c6d-8e9f-0a1b2c3d4e5f', roles: ['advisor'] as const };

let namespace: string;
let dbs: TestDatabase[] = [];
let claims: RunningProcess;
let reimbursement: RunningProcess;
let producer: Producer;

beforeAll(async () => {
  const { kafkaBrokers, runId } = integrationEnv();
  namespace = `t-${runId}-claimfile-${randomSuffix(3)}.`;
  const [claimsDb, reimbursementDb] = await Promise.all([
    createTestDatabase('claimfile_claims'),
    createTestDatabase('claimfile_reimbursement'),
  ]);
  dbs = [claimsDb, reimbursementDb];
  // each reads the other's sealed events (ClaimOpened, ReimbursementRejected): it asks it for keys
  const { ports, serviceUrls } = await plannedPorts(['claims', 'reimbursement']);
  const common = {
    kafkaBrokers,
    namespace,
    internalPublicKey: TEST_INTERNAL_KEYS.publicKey,
    env: { SERVICE_URLS: serviceUrls },
  };
  [claims, reimbursement] = await Promise.all([
    startSubgraphProcess({ service: 'claims', databaseUrl: claimsDb.url, port: ports.claims, ...common }),
    startSubgraphProcess({
      service: 'reimbursement',
      databaseUrl: reimbursementDb.url,
      port: ports.reimbursement,
      ...common,
    }),
  ]);
  producer = testKafka().producer();
  await producer.connect();
}, 180_000);

afterAll(async () => {
  await producer?.disconnect();
  await Promise.all([claims?.stop(), reimbursement?.stop()]);
  await Promise.all(dbs.map((db) => db.drop()));
  await deleteNamespaceTopics(namespace);
}, 60_000);

/** Another domain's event, on its namespaced topic, as its relay would publish it. */
async function publish<K extends keyof EventDataMap & AnyEvent['type']>(
  type: K,
  data: EventDataMap[K],
  subject: string,
  source: string,
): Promise<void> {
  const event = newEvent(type, data, { source, subject, actor: { kind: 'system', id: source } });
  await producer.send({
    topic: `${namespace}${topicForEventType(type).name}`,
    acks: -1,
    messages: [
      { key: subject, value: JSON.stringify(event), headers: { 'event-id': event.id, 'event-type': type } },
    ],
  });
}

async function call<T>(
  proc: RunningProcess,
  subgraph: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const res = await callSubgraph<T>({ url: `${proc.baseUrl}/graphql`, subgraph }, query, variables, {
    sub: ADVISOR.sub,
    roles: [...ADVISOR.roles],
  });
  if (res.errors) throw new Error(`${subgraph}: ${JSON.stringify(res.errors)}`);
  return res.data!;
}

interface ClaimView {
  id: string;
  status: string;
  closedAt: string | null;
  statusHistory: {
    from: string;
    to: string;
    reason: string | null;
    actorKind: string;
    actorId: string;
    cause: string | null;
  }[];
  activity: { kind: string; label: string; detail: string | null }[];
}
const readClaim = async (id: string) =>
  (
    await call<{ claim: ClaimView | null }>(
      claims,
      'claims',
      `query($id: ID!) { claim(id: $id) { id status closedAt
        statusHistory { from to reason actorKind actorId cause }
        activity { kind label detail } } }`,
      { id },
    )
  ).claim;
const claimReaches = async (id: string, status: string): Promise<ClaimView> => {
  const seen: { last: ClaimView | null } = { last: null };
  await waitFor(
    `claim ${id} to reach ${status}`,
    async () => {
      seen.last = await readClaim(id);
      return seen.last?.status === status;
    },
    { timeoutMs: 45_000 },
  );
  return seen.last!;
};

interface ReimbursementView {
  id: string;
  status: string;
  amountClaimed: string;
  amountAccepted: string | null;
  deductibleApplied: string | null;
  rejectionReason: string | null;
  assessment: {
    outcome: string;
    code: string | null;
    deductibleKind: string | null;
    deductible: string | null;
  };
  proposal: { amountAccepted: string; deductibleApplied: string; amountPaid: string } | null;
}
const reimbursementsOf = async (claimId: string) =>
  (
    await call<{ reimbursementsByClaim: ReimbursementView[] }>(
      reimbursement,
      'reimbursement',
      `query($c: ID!) { reimbursementsByClaim(claimId: $c) { id status amountClaimed amountAccepted deductibleApplied
        rejectionReason assessment { outcome code deductibleKind deductible } proposal { amountAccepted deductibleApplied amountPaid } } }`,
      { c: claimId },
    )
  ).reimbursementsByClaim;
const proposalOf = async (claimId: string) => {
  let found: ReimbursementView | undefined;
  await waitFor(
    `the reimbursement of claim ${claimId}`,
    async () => {
      found = (await reimbursementsOf(claimId))[0];
      return found !== undefined;
    },
    { timeoutMs: 45_000 },
  );
  return found!;
};
const updateReimbursement = (input: Record<string, unknown>) =>
  call<{ updateReimbursement: ReimbursementView }>(
    reimbursement,
    'reimbursement',
    `mutation($i: UpdateReimbursementInput!) { updateReimbursement(input: $i) { id status amountAccepted deductibleApplied } }`,
    { i: input },
  );

/** identity's contract: collision deductible 300 €, third-party deductible 150 € */
async function issueContract(clientId: string, over: Partial<EventDataMap['ContractIssued']> = {}) {
  const contractId = randomUUID();
  await publish(
    'ContractIssued',
    {
      contractId,
      clientId,
      matricule: 'AB-123-CD',
      contractNumber: `CT-${randomSuffix(4)}`,
      type: 'AUTO',
      status: 'ACTIVE',
      subscribedOn: '2020-01-01',
      coverages: ['bris de glace'],
      thirdPartyDeductible: '150.00',
      collisionDeductible: '300.00',
      propertyDamageCover: true,
      thirdPartyCover: true,
      civilLiabilityCover: true,
      issuedAt: new Date().toISOString(),
      ...over,
    },
    contractId,
    'identity',
  );
  return contractId;
}

/** the bot's declaration, dated two hours ago (the CCI counts the days since the event) */
async function declare(
  clientId: string,
  contractId: string,
  claim: Partial<EventDataMap['IntakeCompleted']['claim']>,
  facts: Partial<EventDataMap['IntakeCompleted']['facts']> = {},
) {
  const claimId = randomUUID();
  const occurredAt = new Date(hoursAgo(2));
  await publish(
    'IntakeCompleted',
    {
      conversationId: randomUUID(),
      claimId,
      clientId,
      contractId,
      matricule: 'AB-123-CD',
      channel: 'CHAT',
      claim: {
        claimType: 'COLLISION',
        description: 'Percuté par l’arrière au feu rouge',
        occurredOn: occurredAt.toISOString().slice(0, 10),
        occurredAt: occurredAt.toISOString(),
        occurredAtLocal: occurredAt.toISOString().slice(0, 16),
        place: 'Lyon',
        thirdPartyInvolved: true,
        thirdPartyResponsible: false,
        injuries: false,
        amicableReport: true,
        policeReport: false,
        policeReportNumber: null,
        documentsProvided: true,
        estimatedDamage: '1200.00',
        ...claim,
      },
      facts: { claimType: 'collision', contractStatus: 'actif', coverageApplies: true, ...facts },
      decision: { handling: 'AUTONOMOUS', cciScore: 25, policyVersion: 'cci-v1', factors: [], triggers: [] },
      transcript: [],
      completedAt: new Date().toISOString(),
    },
    claimId,
    'conversation',
  );
  return claimId;
}

describe('the claim file moves by itself (real broker, real processes)', () => {
  it('an autonomous collision: NEW -> IN_PROGRESS -> VALIDATION -> CLOSED, the contract’s third-party deductible applied', async () => {
    const clientId = randomUUID();
    const contractId = await issueContract(clientId);
    const claimId = await declare(clientId, contractId, { thirdPartyResponsible: false });
    await claimReaches(claimId, 'IN_PROGRESS');

    const proposed = await proposalOf(claimId);
    expect(proposed).toMatchObject({
      status: 'PENDING',
      amountClaimed: '1200.00',
      assessment: { outcome: 'COVERED', deductibleKind: 'franchise_tiers', deductible: '150.00' },
      proposal: { amountAccepted: '1200.00', deductibleApplied: '150.00', amountPaid: '1050.00' },
    });
    // the advisor's one decision: the proposal
    const accepted = await updateReimbursement({ id: proposed.id, status: 'ACCEPTED' });
    expect(accepted.updateReimbursement).toMatchObject({
      amountAccepted: '1200.00',
      deductibleApplied: '150.00',
    });
    await claimReaches(claimId, 'VALIDATION');
    await updateReimbursement({ id: proposed.id, status: 'PAID', paymentMethod: 'BANK_TRANSFER' });
    const closed = await claimReaches(claimId, 'CLOSED');
    expect(closed.closedAt).not.toBeNull();
    expect(closed.statusHistory.map((h) => [h.from, h.to, h.actorId, h.cause])).toEqual([
      ['NEW', 'IN_PROGRESS', 'claims.lifecycle', 'CLAIM_OPENED'],
      ['IN_PROGRESS', 'VALIDATION', 'claims.lifecycle', 'ReimbursementAccepted'],
      ['VALIDATION', 'CLOSED', 'claims.lifecycle', 'ReimbursementSettled'],
    ]);
    expect(closed.activity).toContainEqual({
      kind: 'AMOUNT_VALIDATED',
      label: 'Montant validé',
      detail: 'Montant validé : 1\u202f200,00 € accepté, franchise 150,00 €, 1\u202f050,00 € à verser',
    });
  });

  it('a collision with a responsible third party: escalated, taken up by an advisor, then VALIDATION -> CLOSED with the collision deductible', async () => {
    const clientId = randomUUID();
    const contractId = await issueContract(clientId);
    const claimId = await declare(clientId, contractId, { thirdPartyResponsible: true });
    // the seed's trigger « Tiers responsable → Escalade »
    await claimReaches(claimId, 'ESCALATED');
    await publish(
      'EscalationStarted',
      { escalationId: randomUUID(), claimId, advisorId: ADVISOR.sub, startedAt: new Date().toISOString() },
      claimId,
      'escalation',
    );
    await claimReaches(claimId, 'IN_PROGRESS');

    const proposed = await proposalOf(claimId);
    expect(proposed).toMatchObject({
      assessment: { outcome: 'COVERED', deductibleKind: 'franchise_tiers_collision', deductible: '300.00' },
      proposal: { amountAccepted: '1200.00', deductibleApplied: '300.00', amountPaid: '900.00' },
    });
    await updateReimbursement({ id: proposed.id, status: 'ACCEPTED' });
    await claimReaches(claimId, 'VALIDATION');
    await updateReimbursement({ id: proposed.id, status: 'PAID', paymentMethod: 'CHEQUE' });
    const closed = await claimReaches(claimId, 'CLOSED');
    expect(closed.statusHistory.map((h) => [h.from, h.to, h.cause])).toEqual([
      ['NEW', 'ESCALATED', null],
      ['ESCALATED', 'IN_PROGRESS', 'EscalationStarted'],
      ['IN_PROGRESS', 'VALIDATION', 'ReimbursementAccepted'],
      ['VALIDATION', 'CLOSED', 'ReimbursementSettled'],
    ]);
    expect(closed.statusHistory[3]!.reason).toBe('Remboursement versé : 900,00 € par chèque');
  });

  it('a claim on a suspended contract: its reimbursement rejected with the reason, the claim closed with it', async () => {
    const clientId = randomUUID();
    const contractId = await issueContract(clientId, { status: 'SUSPENDED' });
    const claimId = await declare(clientId, contractId, {}, { contractStatus: 'suspendu' });
    const closed = await claimReaches(claimId, 'CLOSED');
    const [rejected] = await reimbursementsOf(claimId);
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Contrat suspendu : aucune garantie ne s’applique',
      assessment: { outcome: 'NOT_COVERED', code: 'CONTRACT_SUSPENDED' },
    });
    expect(closed.statusHistory.at(-1)).toMatchObject({
      to: 'CLOSED',
      reason: 'Remboursement refusé : Contrat suspendu : aucune garantie ne s’applique',
      cause: 'ReimbursementRejected',
    });
  });

  it('documents missing -> AWAITING_CLIENT -> documents received -> IN_PROGRESS', async () => {
    const clientId = randomUUID();
    const contractId = await issueContract(clientId);
    const claimId = await declare(clientId, contractId, { documentsProvided: false, estimatedDamage: null });
    await claimReaches(claimId, 'AWAITING_CLIENT');
    await call(
      claims,
      'claims',
      `mutation($i: RecordClaimActivityInput!) { recordClaimActivity(input: $i) { id } }`,
      { i: { claimId, kind: 'DOCUMENTS_RECEIVED', detail: 'Photos reçues par courriel' } },
    );
    const back = await claimReaches(claimId, 'IN_PROGRESS');
    expect(back.statusHistory.map((h) => [h.from, h.to, h.cause])).toEqual([
      ['NEW', 'AWAITING_CLIENT', 'CLAIM_OPENED'],
      ['AWAITING_CLIENT', 'IN_PROGRESS', 'DOCUMENTS_RECEIVED'],
    ]);
  });
});
