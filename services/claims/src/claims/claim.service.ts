// Claim use cases. Each method owns its transaction: the row change and its events (outbox)
// commit together or not at all.
import { randomUUID } from 'node:crypto';
import { DEFAULT_THRESHOLDS, hasInjuries, type CciThresholds } from '@crm/cci';
import type { Actor, AnyEvent } from '@crm/events';
import { parseInput, systemCaller, type Caller, type ServiceRuntime } from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import type { CaseRepository } from '../cases/case.repository';
import { CaseJournal } from '../cases/case.service';
import type { ClaimEntity } from './claim.entity';
import { assertTransition, type StatusChange } from './claim-lifecycle.rules';
import { delayTrigger, stallCutoff, DEFAULT_STALL_DAYS } from './claim-delay.rules';
import { detectTriggers, escalationReason, planTriggers, type TriggerPlan } from './claim-triggers.rules';
import {
  claimActivityRecorded,
  claimArchived,
  claimEscalationRequested,
  claimOpened,
  claimScored,
  claimStatusChanged,
  claimUpdated,
} from './claim.events';
import {
  CLAIM_STATUS_DB,
  CLAIM_TYPE_DB,
  HANDLING_DB,
  claimStatusFromDb,
  claimTypeFromDb,
  type ClaimStatus,
} from './claim.mapping';
import type { ClaimRepository, ClaimValues } from './claim.repository';
import {
  changedFields,
  claimFacts,
  formatClaimNumber,
  initialActions,
  recordScore,
  recordedExtraFacts,
  sameScore,
  type ExtraFacts,
  type RecordedScore,
} from './claim.rules';
import { parseOpenClaim, parseUpdateClaim, recordActivitySchema, type Channel } from './claim.validation';
import type { RecordedActivity } from './claim-activity.rules';
import { claimsError, notFound } from '../errors';

export interface ClaimServiceSettings {
  thresholds?: CciThresholds;
  clock?: () => Date;
  /** « Délai > 5 jours »: days without progress after which a claim escalates (default 5) */
  stallDays?: number;
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
  knownFacts?: Pick<ExtraFacts, 'contractStatus' | 'coverageApplies' | 'documentsProvided'>;
  /** the bot may find no contract that applies; the GraphQL mutation always requires one */
  contractOptional?: boolean;
  manager?: EntityManager;
}

/** Automatic changes (escalation triggers) are the system's, in the caller's causal chain. */
const AUTOMATIC: Actor = { kind: 'system', id: 'claims.triggers' };
const automatic = (caller: Caller): Caller => ({ ...caller, actor: AUTOMATIC });

/** Declarative columns updateClaim may change (GraphQL field = entity property). */
const UPDATABLE = [
  'occurredAt',
  'description',
  'location',
  'thirdPartyInvolved',
  'thirdPartyName',
  'thirdPartyContact',
  'thirdPartyResponsible',
  'amicableReport',
  'amicableReportNumber',
  'policeReport',
  'policeReportNumber',
  'estimatedDamage',
  'estimatedOn',
  'photoUrls',
] as const satisfies readonly (keyof ClaimEntity)[];

export class ClaimService {
  private readonly thresholds: CciThresholds;
  private readonly clock: () => Date;
  private readonly journal: CaseJournal;
  private readonly stallDays: number;

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
  }

  private publish(manager: EntityManager, events: AnyEvent[]): Promise<void> {
    return this.runtime.events.outbox.publish(manager, events);
  }

  /** The caller's transaction when it has one (an event consumer), otherwise a new one. */
  private inTransaction<T>(
    manager: EntityManager | undefined,
    work: (m: EntityManager) => Promise<T>,
  ): Promise<T> {
    return manager ? work(manager) : this.runtime.dataSource.transaction(work);
  }

  /**
   * POST /api/v1/sinistres. The claim starts NEW; an escalation trigger moves it to ESCALATED
   * in the same transaction (ClaimStatusChanged + ClaimEscalationRequested). Opening under an
   * id that already exists returns that claim and writes nothing (a redelivered intake).
   */
  async openClaim(
    raw: unknown,
    caller: Caller,
    defaultChannel: Channel,
    options: OpenClaimOptions = {},
  ): Promise<ClaimEntity> {
    const now = this.clock();
    const input = parseOpenClaim(raw, now, { contractOptional: options.contractOptional ?? false });
    if (input.caseId && !(await this.cases.exists(input.caseId))) throw notFound('case', input.caseId);

    return this.inTransaction(options.manager, async (manager) => {
      if (options.id) {
        const existing = await this.claims.lockNewId(manager, options.id);
        if (existing) {
          if (existing.clientId !== input.clientId)
            throw claimsError('CLAIM.ID_CONFLICT', `claim ${options.id} belongs to another client`, {
              id: options.id,
            });
          return existing;
        }
      }
      const sequence = await this.claims.nextClaimSequence(manager);
      const priorClaims = await this.claims.countPriorClaims(manager, input.clientId, input.occurredAt);
      const declared = {
        type: input.type,
        occurredAt: input.occurredAt,
        thirdPartyInvolved: input.thirdPartyInvolved ?? null,
        thirdPartyResponsible: input.thirdPartyResponsible ?? null,
        amicableReport: input.amicableReport ?? null,
        policeReport: input.policeReport ?? null,
        estimatedDamage: input.estimatedDamage ?? null,
        photoUrls: input.photoUrls ?? null,
      };
      const facts = claimFacts(
        declared,
        { ...options.knownFacts, injuries: input.injuries, priorClaimsLast12Months: priorClaims },
        now,
      );
      const score = recordScore(facts, this.thresholds, now);
      const plan = planTriggers([], detectTriggers(score.breakdown, facts), 'NEW', now);
      // every claim is on a case's timeline: the partner case it was linked to, or its own
      const caseId = input.caseId ?? (await this.journal.openClaimCase(manager, input.clientId, now));

      const claim = await this.claims.insert(manager, {
        id: options.id ?? randomUUID(),
        ...declared,
        claimNumber: formatClaimNumber(now, sequence),
        clientId: input.clientId,
        contractId: input.contractId ?? null,
        type: CLAIM_TYPE_DB[input.type],
        description: input.description ?? null,
        location: input.location ?? null,
        thirdPartyName: input.thirdPartyName ?? null,
        thirdPartyContact: input.thirdPartyContact ?? null,
        amicableReportNumber: input.amicableReportNumber ?? null,
        policeReportNumber: input.policeReportNumber ?? null,
        estimatedOn: input.estimatedOn ?? null,
        status: CLAIM_STATUS_DB.NEW,
        handling: HANDLING_DB[score.breakdown.handling],
        caseId,
        createdAt: now,
        updatedAt: now,
        triggers: plan.added,
        statusHistory: [],
        activities: [],
        ...scoreColumns(score),
      });
      await this.claims.insertActions(
        manager,
        claim.id,
        initialActions(facts, score.breakdown.handling),
        now,
      );
      await this.journal.journalClaimOpening(
        manager,
        caseId,
        {
          id: claim.id,
          payload: {
            claimId: claim.id,
            claimNumber: claim.claimNumber,
            clientId: claim.clientId,
            claimType: input.type,
            status: 'NEW',
            handling: score.breakdown.handling,
            cciScore: claim.cciScore,
          },
        },
        now,
        caller.actor,
      );
      await this.publish(manager, [
        claimOpened(claim, input.channel ?? defaultChannel, caller, now),
        claimScored(claim, caller, now),
      ]);
      return this.escalateIfPlanned(manager, claim, plan, hasInjuries(facts), caller, now);
    });
  }

  /**
   * Applies a trigger plan's escalation: ESCALATED (handling too), by the system, with
   * ClaimStatusChanged and ClaimEscalationRequested in the caller's transaction.
   */
  private async escalateIfPlanned(
    manager: EntityManager,
    claim: ClaimEntity,
    plan: TriggerPlan,
    injuries: boolean,
    caused: Caller,
    now: Date,
  ): Promise<ClaimEntity> {
    if (!plan.escalate) return claim;
    const from = claimStatusFromDb(claim.status);
    const by = automatic(caused);
    const escalated = await this.transition(
      manager,
      claim,
      'ESCALATED',
      escalationReason(plan.escalation),
      by,
      now,
      {
        handling: HANDLING_DB.ESCALATED,
      },
    );
    await this.publish(manager, [
      claimEscalationRequested(escalated, from, plan.escalation, injuries, by, now),
    ]);
    return escalated;
  }

  /**
   * PUT /api/v1/sinistres/:id: corrects or completes declared facts. The claim is rescored
   * from the new facts (ClaimScored when the recorded score or its explanation changes);
   * type_traitement stays: re-routing a claim already handled is the lifecycle's decision.
   */
  async updateClaim(raw: unknown, caller: Caller): Promise<ClaimEntity> {
    const now = this.clock();
    const input = parseUpdateClaim(raw, now);

    return this.runtime.dataSource.transaction(async (manager) => {
      const current = await this.lockOpen(manager, input.id);
      const patch: ClaimValues = {};
      for (const field of UPDATABLE) {
        const value = input[field];
        if (value !== undefined) Object.assign(patch, { [field]: value });
      }
      if (input.type !== undefined) patch.type = CLAIM_TYPE_DB[input.type];
      const changed = changedFields(current, patch);

      const merged = { ...current, ...patch };
      const extra = recordedExtraFacts(current.cciBreakdown, current.photoUrls != null);
      if (input.injuries !== undefined) extra.injuries = input.injuries;
      // a claim recorded without a type (possible in the seed's schema) cannot be scored
      const facts =
        merged.type == null
          ? undefined
          : claimFacts({ ...merged, type: claimTypeFromDb(merged.type) }, extra, current.createdAt);
      const score = facts && recordScore(facts, this.thresholds, now);
      const rescored = score !== undefined && !sameScore(score, current);
      const plan =
        facts && score
          ? planTriggers(
              current.triggers,
              detectTriggers(score.breakdown, facts),
              claimStatusFromDb(current.status),
              now,
            )
          : undefined;
      if (!changed.length && !rescored && !plan?.added.length) return current;

      const updated = await this.claims.update(manager, current.id, {
        ...Object.fromEntries(changed.map((f) => [f, patch[f]])),
        ...(score && rescored ? scoreColumns(score) : {}),
        ...(plan?.added.length ? { triggers: [...current.triggers, ...plan.added] } : {}),
        updatedAt: now,
      });
      const events: AnyEvent[] = [];
      const [head, ...rest] = changed;
      if (head) events.push(claimUpdated(updated, [head, ...rest], caller, now));
      if (rescored) events.push(claimScored(updated, caller, now));
      await this.publish(manager, events);
      return plan && facts
        ? this.escalateIfPlanned(manager, updated, plan, hasInjuries(facts), caller, now)
        : updated;
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

  /** Records DELAY_EXCEEDED on one locked claim, escalates it if it can, journals it. */
  private async fireDelay(
    manager: EntityManager,
    current: ClaimEntity,
    trigger: ReturnType<typeof delayTrigger>,
    now: Date,
  ): Promise<boolean> {
    const from = claimStatusFromDb(current.status);
    const plan = planTriggers(current.triggers, [trigger], from, now);
    // recording a trigger is not progress: date_modification moves only with the escalation
    const recorded = await this.claims.update(manager, current.id, {
      triggers: [...current.triggers, ...plan.added],
    });
    // the timer starts a causal chain of its own
    const after = await this.escalateIfPlanned(
      manager,
      recorded,
      plan,
      recordedInjuries(current),
      systemCaller(AUTOMATIC.id),
      now,
    );
    // claims opened before every claim had a case have no timeline to write on
    if (current.caseId)
      await this.journal.journalClaimDelay(
        manager,
        current.caseId,
        {
          id: current.id,
          payload: {
            claimId: current.id,
            claimNumber: current.claimNumber,
            clientId: current.clientId,
            reason: trigger.reason,
            lastProgressAt: current.updatedAt.toISOString(),
            previousStatus: from,
            status: claimStatusFromDb(after.status),
            escalated: plan.escalate,
          },
        },
        now,
        AUTOMATIC,
      );
    return plan.escalate;
  }

  /**
   * recordClaimActivity (seed « Actions Affichables »): what nothing else records, appended to
   * `activites` under the row lock. It is progress: date_modification moves, so the 5-day
   * timer counts from it. ClaimActivityRecorded in the same transaction.
   */
  async recordActivity(raw: unknown, caller: Caller): Promise<ClaimEntity> {
    const now = this.clock();
    const input = parseInput(recordActivitySchema(now), raw);
    return this.runtime.dataSource.transaction(async (manager) => {
      const current = await this.lockOpen(manager, input.claimId);
      const entry: RecordedActivity = {
        kind: input.kind,
        detail: input.detail || null,
        at: (input.at ?? now).toISOString(),
        actor: caller.actor,
        recordedAt: now.toISOString(),
      };
      const updated = await this.claims.update(manager, current.id, {
        activities: [...current.activities, entry],
        updatedAt: now,
      });
      await this.publish(manager, [claimActivityRecorded(updated, entry, caller, now)]);
      return updated;
    });
  }

  /** DELETE /api/v1/sinistres/:id = "Archiver": the row stays, listings hide it. Idempotent. */
  async archiveClaim(id: string, caller: Caller): Promise<ClaimEntity> {
    const now = this.clock();
    return this.runtime.dataSource.transaction(async (manager) => {
      const current = await this.claims.lock(manager, id);
      if (!current) throw notFound('claim', id);
      if (current.archivedAt) return current;
      const archived = await this.claims.update(manager, id, { archivedAt: now, updatedAt: now });
      await this.publish(manager, [claimArchived(archived, caller, now)]);
      return archived;
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
  ): Promise<ClaimEntity> {
    const now = this.clock();
    return this.runtime.dataSource.transaction(async (manager) => {
      const current = await this.lockOpen(manager, id);
      return this.transition(manager, current, to, reason, caller, now);
    });
  }

  /**
   * The one way a claim's status changes: checked against the lifecycle, recorded in
   * historique_statut with its actor, date_fermeture stamped on CLOSED, ClaimStatusChanged
   * published, all in the caller's transaction (the row is locked or was just inserted).
   */
  private async transition(
    manager: EntityManager,
    current: ClaimEntity,
    to: ClaimStatus,
    reason: string | undefined,
    by: Caller,
    at: Date,
    extra: ClaimValues = {},
  ): Promise<ClaimEntity> {
    const from = claimStatusFromDb(current.status);
    assertTransition(current.id, from, to);
    const entry: StatusChange = {
      from,
      to,
      reason: reason ? reason.slice(0, 500) : null,
      actor: by.actor,
      at: at.toISOString(),
    };
    const updated = await this.claims.update(manager, current.id, {
      ...extra,
      status: CLAIM_STATUS_DB[to],
      ...(to === 'CLOSED' ? { closedAt: at } : {}),
      statusHistory: [...current.statusHistory, entry],
      updatedAt: at,
    });
    await this.publish(manager, [claimStatusChanged(updated, from, reason, by, at)]);
    return updated;
  }

  private async lockOpen(manager: EntityManager, id: string): Promise<ClaimEntity> {
    const claim = await this.claims.lock(manager, id);
    if (!claim) throw notFound('claim', id);
    if (claim.archivedAt) throw claimsError('CLAIM.ARCHIVED', `claim ${id} is archived`, { id });
    return claim;
  }
}

/** Injuries as the recorded facts say (the escalation queue serves these first). */
function recordedInjuries(claim: ClaimEntity): boolean {
  if (claim.type == null) return false;
  const facts = claimFacts(
    { ...claim, type: claimTypeFromDb(claim.type) },
    recordedExtraFacts(claim.cciBreakdown, claim.photoUrls != null),
    claim.createdAt,
  );
  return hasInjuries(facts);
}

function scoreColumns(score: RecordedScore): ClaimValues {
  return { cciScore: score.score, cciPolicyVersion: score.policyVersion, cciBreakdown: score.breakdown };
}
