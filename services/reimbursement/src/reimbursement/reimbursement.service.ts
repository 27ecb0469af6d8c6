import { type EntityManager } from 'typeorm';
import {
  assertNotStale,
  audited,
  vaultOf,
  type AuditNotes,
  type Caller,
  type ServiceRuntime,
} from '@crm/subgraph';
import { KnownClaimRepository, lockClaimKey } from '../claim/claim.repository';
import { type KnownClaimEntity } from '../claim/claim.entity';
import { KnownContractRepository } from '../contract/contract.repository';
import {
  ASSESSMENT_RULES_VERSION,
  applyProposal,
  assessClaim,
  type ClaimTerms,
  type RecordedAssessment,
  type RecordedOverride,
} from './assessment.rules';
import { ReimbursementCipher } from './reimbursement.cipher';
import { type ReimbursementEntity } from './reimbursement.entity';
import { reimbursementChanged, reimbursementCreated } from './reimbursement.events';
import { type CreateReimbursementInput, type UpdateReimbursementInput } from './reimbursement.inputs';
import {
  originToDb,
  paymentMethodToDb,
  statusToDb,
  toCents,
  type PaymentMethod,
  type ReimbursementOrigin,
  toView,
  type ClaimRef,
  type ReimbursementView,
} from './reimbursement.mapping';
import { ReimbursementRepository, type ReimbursementWithClient } from './reimbursement.repository';
import { decideUpdate, newReimbursement, type ReimbursementState } from './reimbursement.rules';
import { notFound, reimbursementError } from '../errors';

/** The channels of the bot's declarations: the claims that get an automatic proposal. */
export const AUTOMATIC_CHANNELS: readonly string[] = ['CHAT', 'VOICE'];

/** What opening a reimbursement needs: the GraphQL input, or the automatic proposal's. */
interface Opening {
  claimId: string;
  amountClaimed: string;
  paymentMethod?: PaymentMethod | undefined;
  overrideReason?: string | undefined;
  origin: ReimbursementOrigin;
}

export class ReimbursementService {
  readonly repository: ReimbursementRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
    // millisecond precision, like every instant this service writes
    private readonly clock: () => Date = runtime.clock,
    /** the claims this service knows: whose claim a reimbursement is */
    private readonly knownClaims = new KnownClaimRepository(runtime.dataSource.manager),
    /** the contracts this service knows: what the assessment reads */
    private readonly knownContracts = new KnownContractRepository(runtime.dataSource.manager),
  ) {
    this.repository = new ReimbursementRepository(
      runtime.dataSource.manager,
      new ReimbursementCipher(vaultOf(runtime)),
    );
  }

  async byIds(ids: readonly string[]): Promise<ReimbursementView[]> {
    return (await this.repository.findByIds(ids)).map(viewOf);
  }

  async byClaimIds(claimIds: readonly string[]): Promise<ReimbursementView[]> {
    return (await this.repository.findByClaimIds(claimIds)).map(viewOf);
  }

  /** Claim references as this subgraph resolves them: only the claims known here have an owner. */
  async claimRefs(claimIds: readonly string[]): Promise<ClaimRef[]> {
    return (await this.knownClaims.findByIds(claimIds)).map((c) => ({ id: c.claimId, clientId: c.clientId }));
  }

  /**
   * POST /api/v1/remboursements: assessed against the contract (assessment.rules.ts); a claim
   * nothing covers is rejected at once with the reason, unless the advisor overrides it with his.
   * `audit`: the request's notes, which get what it was created with (new values sealed under
   * the claim's key) once the creation has committed.
   */
  async create(
    input: CreateReimbursementInput,
    caller: Caller,
    audit?: AuditNotes,
  ): Promise<ReimbursementView> {
    return audited(audit, this.runtime.dataSource, async (tx) => {
      // before the assessment: a consumer making the claim or its contract known waits for this
      // commit and reassesses it, or committed before and is seen (lockClaimKey)
      await lockClaimKey(tx, input.claimId);
      const view = await this.open(tx, { ...input, origin: 'ADVISOR' }, caller);
      return {
        result: view,
        // the record's entity is the result's id: createReimbursement's input has none
        entityId: view.id,
        // every audited field it has, as new values
        seal: () => this.repository.auditChanges({}, view, tx),
      };
    });
  }

  /** The claim and its contract as this service knows them, assessed now. */
  private async assess(tx: EntityManager, claimId: string, now: Date): Promise<RecordedAssessment> {
    const claim = await this.knownClaims.find(claimId, tx);
    const contract = claim?.contractId ? await this.knownContracts.find(claim.contractId, tx) : null;
    return {
      ...assessClaim(claim ? claimTerms(claim) : null, contract),
      rulesVersion: ASSESSMENT_RULES_VERSION,
      contractId: claim?.contractId ?? null,
      assessedAt: now.toISOString(),
    };
  }

  private async open(tx: EntityManager, opening: Opening, caller: Caller): Promise<ReimbursementView> {
    const now = this.clock();
    const requested = newReimbursement({
      amountClaimed: opening.amountClaimed,
      ...(opening.paymentMethod ? { paymentMethod: opening.paymentMethod } : {}),
    });
    const assessment = await this.assess(tx, opening.claimId, now);
    // a contract that does not apply is a fact; « no coverage found » reads typed garanties:
    // that one the advisor decides (PENDING, the assessment says why nothing was proposed)
    const notCovered = assessment.outcome === 'NOT_COVERED' && assessment.code !== 'NO_COVERAGE';
    const override: RecordedOverride | null =
      notCovered && opening.overrideReason
        ? {
            reason: opening.overrideReason,
            actor: caller.actor,
            at: now.toISOString(),
            proposed: null,
            decided: { amountAccepted: null, deductibleApplied: null },
          }
        : null;
    const rejected = notCovered && !override;
    const state: ReimbursementState = rejected
      ? { ...requested, status: 'REJECTED', rejectionReason: assessment.reason.slice(0, 255) }
      : requested;
    const row = await this.repository.insert(tx, {
      claimId: opening.claimId,
      ...toColumns(state),
      assessment,
      override,
      origin: originToDb(opening.origin),
      createdAt: now,
      updatedAt: now,
    });
    const view = toView(row, await this.knownClaims.clientOf(row.claimId, tx));
    await this.publish(tx, reimbursementCreated(view, caller, now));
    if (rejected) {
      const event = reimbursementChanged(requested, view, 'REJECTED', [], caller, now);
      if (event) await this.publish(tx, event);
    }
    return view;
  }

  /**
   * The automatic proposal (consumers, in their transaction): once the claim and its contract
   * are both known, a claim with a declared estimate gets one reimbursement claiming it, assessed
   * like any other (PENDING with the proposal, or REJECTED with the reason). Once per claim;
   * only the bot's declarations (CHAT, VOICE): a claim an advisor opened, one closed meanwhile
   * or without an estimate gets none (an advisor requests it).
   */
  async proposeForClaim(
    tx: EntityManager,
    claimId: string,
    caller: Caller,
  ): Promise<ReimbursementView | null> {
    const claim = await this.knownClaims.find(claimId, tx);
    if (!claim || claim.estimatedDamage === null || toCents(claim.estimatedDamage) <= 0) return null;
    if (claim.status === 'CLOSED') return null;
    // the bot's declarations only: a claim an advisor opened gets the reimbursement he requests
    if (!AUTOMATIC_CHANNELS.includes(claim.channel ?? '')) return null;
    // wait for the contract's ContractIssued: its consumer proposes then
    if (claim.contractId && !(await this.knownContracts.find(claim.contractId, tx))) return null;
    if (await this.repository.hasAutomatic(tx, claimId)) return null;
    // automatic only when the contract decides: a proposal, or a contract that does not apply
    const decided = await this.assess(tx, claimId, this.clock());
    if (!isConclusive(decided)) return null;
    return this.open(tx, { claimId, amountClaimed: claim.estimatedDamage, origin: 'AUTOMATIC' }, caller);
  }

  /** A contract just became known: the proposals of the claims that waited for it. */
  async proposeForContract(tx: EntityManager, contractId: string, caller: Caller): Promise<void> {
    for (const claim of await this.knownClaims.awaitingProposal(tx, contractId)) {
      // the caller holds the contract's key; the claim's serializes with a request being made
      await lockClaimKey(tx, claim.claimId);
      await this.reassessPending(tx, claim.claimId);
      await this.proposeForClaim(tx, claim.claimId, caller);
    }
  }

  /**
   * The claim or its contract just became known here: a reimbursement an advisor requested before
   * (its assessment UNKNOWN) is assessed now, in the consumer's transaction. It stays pending
   * whatever the contract says (the advisor asked for it; the assessment tells him why), but its
   * proposal now shows, and amounts other than the proposal need a reason.
   */
  async reassessPending(tx: EntityManager, claimId: string): Promise<number> {
    const rows = await this.repository.pendingUnassessed(tx, claimId);
    if (!rows.length) return 0;
    // still unknown (the contract not here yet) is recorded too: the reason changes
    const assessment = await this.assess(tx, claimId, this.clock());
    for (const row of rows) await this.repository.save(tx, Object.assign(row, { assessment }));
    return rows.length;
  }

  /**
   * `audit`: the request's notes, which get each audited field that changed, old and new values
   * sealed under the claim's key, once the change has committed.
   */
  async update(
    input: UpdateReimbursementInput,
    caller: Caller,
    audit?: AuditNotes,
  ): Promise<ReimbursementView> {
    const { id, expectedUpdatedAt, overrideReason, ...patch } = input;
    // under the id as the request gave it: the one the audit record names (input.id)
    return audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.repository.findForUpdate(tx, id);
      if (!row) throw notFound('reimbursement', id);
      assertNotStale(expectedUpdatedAt, row.updatedAt, { entity: 'reimbursement', id });
      const before = toView(row, await this.knownClaims.clientOf(row.claimId, tx));
      const now = this.clock();
      // accepting a covered claim: the proposal's amounts unless the advisor departs, with a reason
      const proposed = applyProposal(row.assessment, before, withoutUndefined(patch), overrideReason);
      if (proposed.missingReason)
        throw reimbursementError(
          'REIMBURSEMENT.OVERRIDE_REASON_REQUIRED',
          'these amounts depart from what the contract proposes: give the reason (overrideReason)',
          { field: 'overrideReason', proposed: proposed.missingReason },
        );
      const decision = decideUpdate(before, proposed.patch, now);
      if (decision.unchanged) return { result: before, entityId: id };
      const override: RecordedOverride | null = proposed.override
        ? {
            ...proposed.override,
            actor: caller.actor,
            at: now.toISOString(),
            decided: {
              amountAccepted: decision.next.amountAccepted,
              deductibleApplied: decision.next.deductibleApplied,
            },
          }
        : row.override;
      Object.assign(row, toColumns(decision.next), { override, updatedAt: now });
      const saved = toView(await this.repository.save(tx, row), before.clientId);
      const event = reimbursementChanged(
        before,
        saved,
        decision.transition,
        decision.changedFields,
        caller,
        now,
      );
      if (event) await this.publish(tx, event);
      return { result: saved, entityId: id, seal: () => this.repository.auditChanges(before, saved, tx) };
    });
  }

  private publish(tx: EntityManager, event: Parameters<ServiceRuntime['events']['outbox']['publish']>[1]) {
    return this.runtime.events.outbox.publish(tx, event);
  }
}

const viewOf = ({ row, clientId }: ReimbursementWithClient): ReimbursementView => toView(row, clientId);

/** COVERED, or a contract that does not apply (not « no coverage found », nor UNKNOWN). */
const isConclusive = (a: RecordedAssessment): boolean =>
  a.outcome === 'COVERED' || (a.outcome === 'NOT_COVERED' && a.code !== 'NO_COVERAGE');

function claimTerms(claim: KnownClaimEntity): ClaimTerms {
  return {
    claimId: claim.claimId,
    clientId: claim.clientId,
    contractId: claim.contractId,
    claimType: claim.claimType,
    occurredOn: claim.occurredOn,
    thirdPartyInvolved: claim.thirdPartyInvolved,
    thirdPartyResponsible: claim.thirdPartyResponsible,
  };
}

function toColumns(
  state: ReimbursementState,
): Omit<
  ReimbursementEntity,
  'id' | 'claimId' | 'createdAt' | 'updatedAt' | 'assessment' | 'override' | 'origin'
> {
  return {
    status: statusToDb(state.status),
    amountClaimed: state.amountClaimed,
    amountAccepted: state.amountAccepted,
    deductibleApplied: state.deductibleApplied,
    rejectionReason: state.rejectionReason,
    paymentMethod: state.paymentMethod ? paymentMethodToDb(state.paymentMethod) : null,
    acceptedAt: state.acceptedAt,
    paidAt: state.paidAt,
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
