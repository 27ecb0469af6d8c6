// Claim use cases. Each method owns its transaction: the row change and its events (outbox)
// commit together or not at all.
import { DEFAULT_THRESHOLDS, type CciThresholds, type ClaimFacts } from '@crm/cci';
import type { AnyEvent } from '@crm/events';
import { DomainError, notFound, type ServiceRuntime } from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import type { CaseRepository } from '../cases/case.repository';
import type { ClaimEntity } from './claim.entity';
import {
  claimArchived,
  claimOpened,
  claimScored,
  claimStatusChanged,
  claimUpdated,
  type Provenance,
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
  type RecordedScore,
} from './claim.rules';
import { parseOpenClaim, parseUpdateClaim, type Channel } from './claim.validation';

export interface ClaimServiceSettings {
  thresholds?: CciThresholds;
  clock?: () => Date;
}

export interface Caller {
  actor: Provenance['actor'];
  correlationId: string;
  causationId?: string;
}

/**
 * What an event consumer (issue 7: IntakeCompleted) knows beyond the GraphQL input: the id
 * the bot reserved for the claim, and contract facts the bot checked (this service has no
 * contract data of its own yet).
 */
export interface OpenClaimOptions {
  id?: string;
  knownFacts?: Pick<ClaimFacts, 'contractStatus' | 'coverageApplies'>;
}

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

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly claims: ClaimRepository,
    private readonly cases: CaseRepository,
    settings: ClaimServiceSettings = {},
  ) {
    this.thresholds = settings.thresholds ?? DEFAULT_THRESHOLDS;
    this.clock = settings.clock ?? (() => new Date());
  }

  private publish(manager: EntityManager, events: AnyEvent[]): Promise<void> {
    return this.runtime.events.outbox.publish(manager, events);
  }

  /** POST /api/v1/sinistres. The claim starts NEW; routing on its handling is the lifecycle's (issue 7). */
  async openClaim(
    raw: unknown,
    caller: Caller,
    defaultChannel: Channel,
    options: OpenClaimOptions = {},
  ): Promise<ClaimEntity> {
    const now = this.clock();
    const input = parseOpenClaim(raw, now);
    if (input.caseId && !(await this.cases.exists(input.caseId))) throw notFound('case', input.caseId);
    const provenance: Provenance = { ...caller, occurredAt: now };

    return this.runtime.dataSource.transaction(async (manager) => {
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

      const claim = await this.claims.insert(manager, {
        ...(options.id ? { id: options.id } : {}),
        ...declared,
        claimNumber: formatClaimNumber(now, sequence),
        clientId: input.clientId,
        contractId: input.contractId,
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
        caseId: input.caseId ?? null,
        createdAt: now,
        updatedAt: now,
        ...scoreColumns(score),
      });
      await this.claims.insertActions(
        manager,
        claim.id,
        initialActions(facts, score.breakdown.handling),
        now,
      );
      await this.publish(manager, [
        claimOpened(claim, input.channel ?? defaultChannel, provenance),
        claimScored(claim, provenance),
      ]);
      return claim;
    });
  }

  /**
   * PUT /api/v1/sinistres/:id: corrects or completes declared facts. The claim is rescored
   * from the new facts (ClaimScored when the recorded score or its explanation changes);
   * type_traitement stays: re-routing a claim already handled is the lifecycle's decision.
   */
  async updateClaim(raw: unknown, caller: Caller): Promise<ClaimEntity> {
    const now = this.clock();
    const input = parseUpdateClaim(raw, now);
    const provenance: Provenance = { ...caller, occurredAt: now };

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
      const extra = recordedExtraFacts(current.cciBreakdown);
      if (input.injuries !== undefined) extra.injuries = input.injuries;
      // a claim recorded without a type (possible in the seed's schema) cannot be scored
      const score =
        merged.type == null
          ? undefined
          : recordScore(
              claimFacts({ ...merged, type: claimTypeFromDb(merged.type) }, extra, current.createdAt),
              this.thresholds,
              now,
            );
      const rescored = score !== undefined && !sameScore(score, current);
      if (!changed.length && !rescored) return current;

      const updated = await this.claims.update(manager, current.id, {
        ...Object.fromEntries(changed.map((f) => [f, patch[f]])),
        ...(score && rescored ? scoreColumns(score) : {}),
        updatedAt: now,
      });
      const events: AnyEvent[] = [];
      const [head, ...rest] = changed;
      if (head) events.push(claimUpdated(updated, [head, ...rest], provenance));
      if (rescored) events.push(claimScored(updated, provenance));
      await this.publish(manager, events);
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
      await this.publish(manager, [claimArchived(archived, { ...caller, occurredAt: now })]);
      return archived;
    });
  }

  /**
   * The one way a claim's status changes, with its ClaimStatusChanged event. Which
   * transitions are allowed (CLAIM.INVALID_TRANSITION) is the lifecycle state machine of
   * issue 7, which calls this; no mutation exposes it yet.
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
      const from = claimStatusFromDb(current.status);
      if (from === to) return current;
      const updated = await this.claims.update(manager, id, {
        status: CLAIM_STATUS_DB[to],
        // date_fermeture: when it was closed; a reopened claim is no longer closed
        closedAt: to === 'CLOSED' ? now : null,
        updatedAt: now,
      });
      await this.publish(manager, [
        claimStatusChanged(updated, from, reason, { ...caller, occurredAt: now }),
      ]);
      return updated;
    });
  }

  private async lockOpen(manager: EntityManager, id: string): Promise<ClaimEntity> {
    const claim = await this.claims.lock(manager, id);
    if (!claim) throw notFound('claim', id);
    if (claim.archivedAt) throw new DomainError('CLAIM.ARCHIVED', `claim ${id} is archived`, { id });
    return claim;
  }
}

function scoreColumns(score: RecordedScore): ClaimValues {
  return { cciScore: score.score, cciPolicyVersion: score.policyVersion, cciBreakdown: score.breakdown };
}
