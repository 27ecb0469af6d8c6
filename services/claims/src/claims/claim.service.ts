// Claim use cases, each as load -> decide -> write: the method loads what the decision
// reads, one pure function (claim.decide.ts) returns everything to write, and `write`
// applies it in the method's transaction: the row changes and their events (outbox)
// commit together or not at all.
import { randomUUID } from 'node:crypto';
import { DEFAULT_THRESHOLDS, type CciThresholds } from '@crm/cci';
import type { AnyEvent } from '@crm/events';
import {
  assertNotStale,
  audited,
  systemCaller,
  type AuditedOutcome,
  type AuditNotes,
  type TransactionRunner,
  type Caller,
  type ServiceRuntime,
} from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import type { CaseRepository } from '../cases/case.repository';
import { CaseJournal } from '../cases/case.service';
import type { ClaimEntity } from './claim.entity';
import { delayTrigger, stallCutoff, DEFAULT_STALL_DAYS } from './claim-delay.rules';
import {
  AUTOMATIC,
  decideCause,
  decideActivity,
  decideAdvisorAssignment,
  decideArchive,
  decideDelay,
  decideOpenClaim,
  decideStatusChange,
  decideUpdateClaim,
  type ClaimPlan,
  type KnownFacts,
  type OpeningFacts,
  type PlannedJournalEntry,
} from './claim.decide';
import type { LifecycleCause } from './claim-routing.rules';
import { eventOf } from './claim.events';
import { ACTION_STATUS_DB, actionStatusFromDb, claimStatusFromDb, type ClaimStatus } from './claim.mapping';
import type { RecommendedActionEntity } from './recommended-action.entity';
import {
  ACTION_RULES_ACTOR,
  decideActionStatus,
  overdueReason,
  readsRecordedKinds,
  reconcileActions,
  type SettableActionStatus,
} from './recommended-action.rules';
import type { ClaimRepository } from './claim.repository';
import type { Channel, OpenClaimInput, RecordActivityInput, UpdateClaimInput } from './claim.inputs';
import { assertNoWordsAfterErasure } from './claim-erasure.rules';
import { claimsError, notFound } from '../errors';

export interface ClaimServiceSettings {
  thresholds?: CciThresholds;
  clock?: () => Date;
  /** « Délai > 5 jours »: days without progress after which a claim escalates (default 5) */
  stallDays?: number;
  /** route a claim when it is opened (claim-routing.rules.ts routeOpened); default true */
  autoRouting?: boolean;
}

/** One run of the stall timer (escalateStalled). */
export interface StallCheck {
  /** claims that fired DELAY_EXCEEDED (trigger recorded, journaled) */
  fired: string[];
  /** of those, the ones moved to ESCALATED (the others were ESCALATED already) */
  escalated: string[];
  /** claims whose processing failed: left as they were, retried on the next run */
  failed: string[];
}

/** Claims locked per transaction by the stall timer. */
export const STALL_BATCH_SIZE = 100;

/**
 * What an event consumer (IntakeCompleted) knows beyond the GraphQL input: the id the bot
 * reserved for the claim, the facts the bot checked that this service has no data for (the
 * contract; whether documents exist when no photo URL came with them), and the consumer's
 * transaction (the processed-event row and the claim commit together).
 */
export interface OpenClaimOptions {
  id?: string;
  knownFacts?: KnownFacts;
  manager?: EntityManager;
}

/** What openClaim loads: the claim already opened under the reserved id, or the new one's facts. */
type OpeningLoad = { opened: ClaimEntity } | ({ opened: null } & OpeningFacts);

export class ClaimService {
  private readonly thresholds: CciThresholds;
  private readonly clock: () => Date;
  private readonly journal: CaseJournal;
  private readonly stallDays: number;
  private readonly autoRouting: boolean;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly claims: ClaimRepository,
    private readonly cases: CaseRepository,
    settings: ClaimServiceSettings = {},
  ) {
    this.thresholds = settings.thresholds ?? DEFAULT_THRESHOLDS;
    this.clock = settings.clock ?? runtime.clock;
    this.journal = new CaseJournal(runtime, cases);
    this.stallDays = settings.stallDays ?? DEFAULT_STALL_DAYS;
    this.autoRouting = settings.autoRouting ?? true;
  }

  /** The caller's transaction when it has one (an event consumer), otherwise a new one. */
  private transactionOf(manager: EntityManager | undefined): TransactionRunner {
    return manager ? { transaction: (work) => work(manager) } : this.runtime.dataSource;
  }

  /**
   * POST /api/v1/sinistres. The claim starts NEW; an escalation trigger moves it to ESCALATED
   * in the same transaction (ClaimStatusChanged + ClaimEscalationRequested). Opening under an
   * id that already exists returns that claim and writes nothing (a redelivered intake).
   */
  async openClaim(
    input: OpenClaimInput,
    caller: Caller,
    defaultChannel: Channel,
    options: OpenClaimOptions = {},
    audit?: AuditNotes,
  ): Promise<ClaimEntity> {
    const now = this.clock();
    return audited(audit, this.transactionOf(options.manager), async (manager) => {
      const loaded = await this.loadOpening(manager, input, options.id);
      if (loaded.opened) return { result: loaded.opened, entityId: loaded.opened.id };
      const plan = decideOpenClaim(
        { input, channel: input.channel ?? defaultChannel, knownFacts: options.knownFacts, caller },
        loaded,
        { claimId: options.id ?? randomUUID(), caseId: randomUUID() },
        now,
        this.thresholds,
        this.autoRouting,
      );
      const written = await this.write(manager, plan);
      return {
        result: written,
        entityId: written.id,
        // what the claim was opened with: every audited field it has, as new values
        seal: () => this.claims.auditChanges({}, written, manager),
      };
    });
  }

  /**
   * The case a claim is linked to must exist (CASE.NOT_FOUND). A reserved id already opened
   * is that claim (CLAIM.ID_CONFLICT when another client's), and then no claim number is drawn.
   */
  private async loadOpening(
    manager: EntityManager,
    input: OpenClaimInput,
    id: string | undefined,
  ): Promise<OpeningLoad> {
    if (input.caseId && !(await this.cases.exists(input.caseId, manager)))
      throw notFound('case', input.caseId);
    // the client's lock before any claim's row, as his erasure takes them
    await this.claims.lockClient(manager, input.clientId);
    const opened = id ? await this.claims.lockNewId(manager, id) : null;
    if (opened) {
      if (opened.clientId !== input.clientId)
        throw claimsError('CLAIM.ID_CONFLICT', `claim ${id} belongs to another client`, { id });
      return { opened };
    }
    // an erased client gets no new claim: nothing more is written about him (a claim opened
    // just before his erasure, under this lock, is erased with the others)
    if (await this.claims.isClientErased(manager, input.clientId))
      throw claimsError('CLAIM.CLIENT_ERASED', 'the client was erased (GDPR): no claim is opened for him', {
        clientId: input.clientId,
      });
    return {
      opened: null,
      sequence: await this.claims.nextClaimSequence(manager),
      priorClaims: await this.claims.countPriorClaims(manager, input.clientId, input.occurredAt),
    };
  }

  /** PUT /api/v1/sinistres/:id: corrects or completes declared facts (decideUpdateClaim). */
  /**
   * `audit`: the request's notes, which get the changed fields with their old and new values
   * sealed under the claim's key, once the change has committed (docs/security.md, Audit log).
   */
  async updateClaim(input: UpdateClaimInput, caller: Caller, audit?: AuditNotes): Promise<ClaimEntity> {
    const now = this.clock();
    return audited(audit, this.runtime.dataSource, async (manager) => {
      const current = await this.lockOpen(manager, input.id);
      assertNotStale(input.expectedUpdatedAt, current.updatedAt, { entity: 'claim', id: input.id });
      assertNoWordsAfterErasure(current, {
        description: input.description,
        location: input.location,
        photoUrls: input.photoUrls,
      });
      const plan = decideUpdateClaim(input, current, caller, now, this.thresholds);
      if (!plan) return { result: current, entityId: current.id };
      return this.written(manager, current, plan);
    });
  }

  /**
   * The stall timer (« Délai > 5 jours → Escalade », claim-delay.rules.ts): every open claim
   * without progress for more than `stallDays` fires DELAY_EXCEEDED once: the trigger is
   * recorded, the claim escalates like any trigger (ClaimStatusChanged +
   * ClaimEscalationRequested; a claim already ESCALATED only records it) and the case journal
   * gets a DELAY_EXCEEDED entry, all in one transaction per batch. The state is the database
   * (date_modification, declencheurs), so a restart loses nothing and nothing fires twice;
   * concurrent instances split the work (FOR UPDATE SKIP LOCKED).
   */
  async escalateStalled(batchSize: number = STALL_BATCH_SIZE): Promise<StallCheck> {
    const total: StallCheck = { fired: [], escalated: [], failed: [] };
    for (;;) {
      const batch = await this.escalateStalledBatch(batchSize);
      total.fired.push(...batch.fired);
      total.escalated.push(...batch.escalated);
      total.failed.push(...batch.failed);
      // a short batch is the last one; a failed claim ends the run (it would come back first)
      if (batch.fired.length < batchSize) return total;
    }
  }

  private async escalateStalledBatch(batchSize: number): Promise<StallCheck> {
    const now = this.clock();
    const trigger = delayTrigger(this.stallDays);
    const result: StallCheck = { fired: [], escalated: [], failed: [] };
    await this.runtime.dataSource.transaction(async (manager) => {
      const stalled = await this.claims.lockStalled(
        manager,
        stallCutoff(now, this.stallDays),
        trigger.code,
        batchSize,
      );
      for (const current of stalled) {
        // one claim that cannot be processed must not hold back the rest of the batch
        await manager.query('savepoint stalled_claim');
        try {
          const escalated = await this.fireDelay(manager, current, trigger, now);
          await manager.query('release savepoint stalled_claim');
          result.fired.push(current.id);
          if (escalated) result.escalated.push(current.id);
        } catch (err) {
          await manager.query('rollback to savepoint stalled_claim');
          this.runtime.logger.error({ err, claimId: current.id }, 'stall timer: claim not processed');
          result.failed.push(current.id);
        }
      }
    });
    return result;
  }

  /** One locked claim (decideDelay); true when it escalated. */
  private async fireDelay(
    manager: EntityManager,
    current: ClaimEntity,
    trigger: ReturnType<typeof delayTrigger>,
    now: Date,
  ): Promise<boolean> {
    // the timer starts a causal chain of its own
    const { plan, escalated } = decideDelay(current, trigger, systemCaller(AUTOMATIC.id), now);
    await this.write(manager, plan);
    return escalated;
  }

  /**
   * recordClaimActivity (seed « Actions Affichables »): what nothing else records, a row of
   * its own written under the claim's row lock (decideActivity), with ClaimActivityRecorded.
   * `audit`: the request's notes get the entry (and the claim's fields it moved) sealed under
   * the claim's key, noted under the claim's id (the record's entity: the claim it answers).
   */
  async recordActivity(input: RecordActivityInput, caller: Caller, audit?: AuditNotes): Promise<ClaimEntity> {
    const now = this.clock();
    return audited(audit, this.runtime.dataSource, async (manager) => {
      const current = await this.lockOpen(manager, input.claimId);
      assertNoWordsAfterErasure(current, { detail: input.detail });
      const plan = decideActivity(input, current, caller, now);
      const written = await this.write(manager, plan);
      return {
        result: written,
        entityId: written.id,
        seal: () => this.claims.auditActivity(plan.activities[0]!, current, written, manager),
      };
    });
  }

  /**
   * AdvisorAssigned of the claim's entry, in the consumer's transaction: the claim's assigned
   * advisor under its row lock (decideAdvisorAssignment). An archived or closed claim takes it
   * too (the assignment happened; the status is not touched). Returns the claim as it stands,
   * null when this service has no such claim (an entry escalated by hand for an unknown id).
   */
  async assignAdvisor(
    manager: EntityManager,
    claimId: string,
    assignment: { advisorId: string; assignedAt: Date },
    caller: Caller,
  ): Promise<ClaimEntity | null> {
    const current = await this.claims.lock(manager, claimId);
    if (!current) return null;
    const plan = decideAdvisorAssignment(current, assignment, caller, this.clock());
    return plan ? this.write(manager, plan) : current;
  }

  /**
   * Another domain's fact, in the consumer's transaction (claims.lifecycle): the move it makes
   * under the claim's row lock (decideCause), recorded with its cause. Returns the claim as it
   * stands, null when this service has no such claim. An archived claim does not move.
   */
  async followCause(
    manager: EntityManager,
    claimId: string,
    cause: LifecycleCause,
    causeType: string,
    caller: Caller,
  ): Promise<ClaimEntity | null> {
    const current = await this.claims.lock(manager, claimId);
    if (!current) return null;
    if (current.archivedAt) return current;
    const plan = decideCause(current, cause, causeType, caller, this.clock());
    return plan ? this.write(manager, plan) : current;
  }

  /** DELETE /api/v1/sinistres/:id = "Archiver": the row stays, listings hide it. Idempotent. */
  async archiveClaim(id: string, caller: Caller, audit?: AuditNotes): Promise<ClaimEntity> {
    const now = this.clock();
    return audited(audit, this.runtime.dataSource, async (manager) => {
      const current = await this.claims.lock(manager, id);
      if (!current) throw notFound('claim', id);
      const plan = decideArchive(current, caller, now);
      if (!plan) return { result: current, entityId: current.id };
      return this.written(manager, current, plan);
    });
  }

  /**
   * changeClaimStatus: moves a claim along the lifecycle (claim-lifecycle.rules.ts); a
   * transition outside the table is CLAIM.INVALID_TRANSITION and writes nothing.
   */
  async changeStatus(
    id: string,
    to: ClaimStatus,
    reason: string | undefined,
    caller: Caller,
    audit?: AuditNotes,
  ): Promise<ClaimEntity> {
    const now = this.clock();
    return audited(audit, this.runtime.dataSource, async (manager) => {
      const current = await this.lockOpen(manager, id);
      assertNoWordsAfterErasure(current, { reason });
      return this.written(manager, current, decideStatusChange(current, to, reason, caller, now));
    });
  }

  /**
   * setRecommendedActionStatus: under the claim's row lock (the order every writer takes),
   * then the action's; an archived claim's actions no longer change (CLAIM.ARCHIVED).
   */
  async setActionStatus(
    actionId: string,
    to: SettableActionStatus,
    caller: Caller,
    audit?: AuditNotes,
  ): Promise<RecommendedActionEntity> {
    const now = this.clock();
    return audited(audit, this.runtime.dataSource, async (manager) => {
      const missing = () =>
        claimsError('CLAIM.ACTION_NOT_FOUND', `no recommended action ${actionId}`, { id: actionId });
      const claimId = await this.claims.claimIdOfAction(manager, actionId);
      if (!claimId) throw missing();
      await this.lockOpen(manager, claimId);
      const action = await this.claims.lockAction(manager, actionId);
      if (!action) throw missing();
      const change = decideActionStatus(
        { id: action.id, status: actionStatusFromDb(action.status), executedAt: action.executedAt },
        to,
        now,
      );
      if (!change) return { result: action, entityId: action.id };
      // by whom: the caller (an advisor), recorded with the change
      const written = await this.claims.updateAction(manager, claimId, actionId, {
        status: ACTION_STATUS_DB[change.status],
        executedAt: change.executedAt,
        by: caller.actor,
        at: now,
        reason: null,
      });
      return {
        result: written,
        // under the claim's key, noted under the action's id: the record's entity (the answer's id)
        entityId: written.id,
        seal: () => this.claims.auditActionStatus(claimId, action, written, manager),
      };
    });
  }

  /**
   * The overdue alert (« Alerte : délai dépassé »): every open action past its due date fires
   * once (alerte_retard_le), as an ACTION_OVERDUE alert in the claim's triggers (Claim.triggers,
   * Claim.activity). Run by the stall timer's poller; batches of `batchSize` in one transaction,
   * rows another transaction holds are left to the next tick. Not progress: date_modification
   * stays. Returns the ids of the actions alerted.
   */
  async alertOverdueActions(batchSize: number = STALL_BATCH_SIZE): Promise<string[]> {
    const now = this.clock();
    return this.runtime.dataSource.transaction(async (manager) => {
      const overdue = await this.claims.lockOverdueActions(manager, now, batchSize);
      for (const action of overdue) {
        await this.claims.markOverdueAlerted(manager, action.id, now);
        await this.claims.appendTrigger(manager, action.claimId!, {
          code: 'ACTION_OVERDUE',
          kind: 'ALERT',
          reason: overdueReason(action.description, action.type, action.dueAt ?? now),
          at: now.toISOString(),
        });
      }
      return overdue.map((a) => a.id);
    });
  }

  /**
   * The rules that keep a claim's actions in step with its facts (reconcileActions), after a
   * command changed the claim, in its transaction: actions added, others closed by the system
   * with the reason.
   */
  private async followActions(manager: EntityManager, claim: ClaimEntity, plan: ClaimPlan): Promise<void> {
    const at = plan.at;
    const actions = await this.claims.lockActionsOf(manager, claim.id);
    // the constat's number written by this change: the constat was received
    const numbered = plan.writes.some((w) => w.values.amicableReportNumber !== undefined);
    const states = actions.map((a) => ({ id: a.id, type: a.type, status: actionStatusFromDb(a.status) }));
    const changes = reconcileActions(
      {
        status: claimStatusFromDb(claim.status),
        constatReceived: numbered ? claim.amicableReportNumber : null,
        photoUrls: claim.photoUrls,
        recordedKinds: readsRecordedKinds(states)
          ? await this.claims.recordedActivityKinds(manager, claim.id)
          : [],
        lastCause: claim.statusHistory.at(-1)?.cause?.kind ?? null,
      },
      states,
    );
    await this.claims.insertActions(manager, claim.id, changes.add, at);
    for (const close of changes.close)
      await this.claims.updateAction(manager, claim.id, close.id, {
        status: ACTION_STATUS_DB[close.status],
        executedAt: close.status === 'DONE' ? at : null,
        by: ACTION_RULES_ACTOR,
        at,
        reason: close.reason,
      });
  }

  private async lockOpen(manager: EntityManager, id: string): Promise<ClaimEntity> {
    const claim = await this.claims.lock(manager, id);
    if (!claim) throw notFound('claim', id);
    if (claim.archivedAt) throw claimsError('CLAIM.ARCHIVED', `claim ${id} is archived`, { id });
    return claim;
  }

  /**
   * The one place a plan is written, in the caller's transaction: the case it opens, the
   * claim row (each write's events built from the row it left, as committed), the actions,
   * the journal entries, then every event in the plan's order (the outbox order). Returns
   * the claim as committed.
   */
  /** The plan written, and its change as the claim's audit record keeps it (old and new values). */
  private async written(
    manager: EntityManager,
    current: ClaimEntity,
    plan: ClaimPlan,
  ): Promise<AuditedOutcome<ClaimEntity>> {
    const written = await this.write(manager, plan);
    return {
      result: written,
      entityId: written.id,
      seal: () => this.claims.auditChanges(current, written, manager),
    };
  }

  private async write(manager: EntityManager, plan: ClaimPlan): Promise<ClaimEntity> {
    if (plan.newCase) await this.cases.insertCase(manager, plan.newCase);
    let claim: ClaimEntity | undefined;
    const events: AnyEvent[] = [];
    for (const step of plan.writes) {
      const row =
        step.kind === 'insert'
          ? await this.claims.insert(manager, step.values)
          : await this.claims.update(manager, claim?.id ?? plan.claimId, step.values);
      events.push(...step.events.map((e) => eventOf(e, row, plan.at)));
      claim = row;
    }
    // unreachable (writes is never empty); tells the compiler so
    if (!claim) throw new Error(`claim ${plan.claimId}: a plan without a write of the claim`);
    await this.claims.insertActions(manager, claim.id, plan.actions, plan.at);
    await this.claims.insertActivities(manager, claim.id, plan.activities);
    // a change of an existing claim may add or retire recommended actions
    if (plan.writes[0].kind === 'update') await this.followActions(manager, claim, plan);
    for (const entry of plan.journal) await this.writeJournal(manager, claim, entry, plan.at);
    await this.runtime.events.outbox.publish(manager, events);
    return claim;
  }

  private async writeJournal(
    manager: EntityManager,
    claim: ClaimEntity,
    entry: PlannedJournalEntry,
    at: Date,
  ): Promise<void> {
    const written = {
      id: claim.id,
      payload: {
        claimId: claim.id,
        claimNumber: claim.claimNumber,
        clientId: claim.clientId,
        ...entry.payload,
      },
    };
    if (entry.type === 'CLAIM_OPENED')
      await this.journal.journalClaimOpening(manager, entry.caseId, written, at, entry.actor);
    else await this.journal.journalClaimDelay(manager, entry.caseId, written, at, entry.actor);
  }
}
