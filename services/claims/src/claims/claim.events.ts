// The claims domain's events, built from the row as committed (schemas/events/claims/*).
import { newEvent, type AnyEvent, type ClaimEscalationRequestedDataV1 } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import { ACTIVITY_LABELS, type RecordedActivity } from './claim-activity.rules';
import type { ClaimEntity } from './claim.entity';
import { claimDayOf } from './claim.rules';
import type { DetectedTrigger } from './claim-triggers.rules';
import { claimStatusFromDb, claimTypeFromDb, handlingFromDb, type ClaimStatus } from './claim.mapping';
import type { Channel } from './claim.inputs';

export const SOURCE = 'claims';

const options = (claim: ClaimEntity, by: Caller, at: Date) => eventOptions(by, SOURCE, claim.id, at);

export function claimOpened(claim: ClaimEntity, channel: Channel, by: Caller, at: Date): AnyEvent {
  return newEvent(
    'ClaimOpened',
    {
      claimId: claim.id,
      claimNumber: claim.claimNumber,
      clientId: claim.clientId,
      // null only for an intake whose client had no contract that applies
      contractId: claim.contractId,
      claimType: claimTypeFromDb(claim.type!),
      occurredOn: claimDayOf(claim.occurredAt),
      occurredAt: claim.occurredAt.toISOString(),
      description: claim.description ?? '',
      channel,
      status: claimStatusFromDb(claim.status),
      ...(claim.estimatedDamage != null ? { estimatedDamage: claim.estimatedDamage } : {}),
      // v2: reimbursement picks the contract's deductible from these
      ...(claim.thirdPartyInvolved != null ? { thirdPartyInvolved: claim.thirdPartyInvolved } : {}),
      ...(claim.thirdPartyResponsible != null ? { thirdPartyResponsible: claim.thirdPartyResponsible } : {}),
      ...(claim.cciScore != null ? { cciScore: claim.cciScore } : {}),
      ...(claim.cciPolicyVersion != null ? { cciPolicyVersion: claim.cciPolicyVersion } : {}),
      ...(claim.handling != null ? { handling: handlingFromDb(claim.handling) } : {}),
      ...(claim.caseId != null ? { caseId: claim.caseId } : {}),
    },
    options(claim, by, at),
  );
}

export function claimScored(claim: ClaimEntity, by: Caller, at: Date): AnyEvent {
  const breakdown = claim.cciBreakdown!;
  return newEvent(
    'ClaimScored',
    {
      claimId: claim.id,
      clientId: claim.clientId,
      cciScore: claim.cciScore!,
      policyVersion: claim.cciPolicyVersion!,
      factors: breakdown.factors.map((f) => f.code),
      breakdown: breakdown.factors,
      handling: breakdown.handling,
      triggers: breakdown.triggers,
    },
    options(claim, by, at),
  );
}

/** `changedFields` is never empty: an update that changes nothing publishes nothing. */
export function claimUpdated(
  claim: ClaimEntity,
  changedFields: [string, ...string[]],
  by: Caller,
  at: Date,
): AnyEvent {
  return newEvent(
    'ClaimUpdated',
    { claimId: claim.id, clientId: claim.clientId, changedFields },
    options(claim, by, at),
  );
}

export function claimArchived(claim: ClaimEntity, by: Caller, at: Date): AnyEvent {
  return newEvent(
    'ClaimArchived',
    { claimId: claim.id, clientId: claim.clientId, archivedAt: claim.archivedAt!.toISOString() },
    options(claim, by, at),
  );
}

export function claimStatusChanged(
  claim: ClaimEntity,
  from: ClaimStatus,
  reason: string | undefined,
  by: Caller,
  at: Date,
): AnyEvent {
  return newEvent(
    'ClaimStatusChanged',
    {
      claimId: claim.id,
      clientId: claim.clientId,
      from,
      to: claimStatusFromDb(claim.status),
      ...(reason ? { reason: reason.slice(0, 500) } : {}),
    },
    options(claim, by, at),
  );
}

/** The automatic escalation (claim-triggers.rules.ts): what the escalation queue orders by. */
export function claimEscalationRequested(
  claim: ClaimEntity,
  from: ClaimStatus,
  triggers: readonly DetectedTrigger[],
  injuries: boolean,
  by: Caller,
  at: Date,
): AnyEvent {
  const escalation = triggers
    .filter((t) => t.kind === 'ESCALATION')
    .map((t) => ({
      code: t.code as ClaimEscalationRequestedDataV1['triggers'][number]['code'],
      reason: t.reason.slice(0, 300),
    }));
  const [head, ...rest] = escalation;
  if (!head) throw new Error(`claim ${claim.id}: an escalation needs at least one trigger`);
  return newEvent(
    'ClaimEscalationRequested',
    {
      claimId: claim.id,
      claimNumber: claim.claimNumber,
      clientId: claim.clientId,
      ...(claim.type ? { claimType: claimTypeFromDb(claim.type) } : {}),
      cciScore: claim.cciScore ?? 0,
      ...(claim.cciPolicyVersion ? { cciPolicyVersion: claim.cciPolicyVersion } : {}),
      injuries,
      triggers: [head, ...rest],
      ...(from !== 'ESCALATED' && from !== 'CLOSED' ? { previousStatus: from } : {}),
      requestedAt: at.toISOString(),
    },
    options(claim, by, at),
  );
}

export function claimActivityRecorded(
  claim: ClaimEntity,
  entry: RecordedActivity,
  by: Caller,
  at: Date,
): AnyEvent {
  return newEvent(
    'ClaimActivityRecorded',
    {
      claimId: claim.id,
      clientId: claim.clientId,
      kind: entry.kind,
      label: ACTIVITY_LABELS[entry.kind],
      detail: entry.detail,
      at: entry.at,
    },
    options(claim, by, at),
  );
}

/**
 * An event a decision asks for (claim.decide.ts). Its payload is built by `eventOf` from the
 * row as committed, which PostgreSQL normalises (uuid case, DECIMAL scale), so a plan names
 * the event and what only the decision knows, and the write builds it.
 */
export type PlannedEvent =
  | { type: 'ClaimOpened'; channel: Channel; by: Caller }
  | { type: 'ClaimScored'; by: Caller }
  | { type: 'ClaimUpdated'; changedFields: [string, ...string[]]; by: Caller }
  | { type: 'ClaimArchived'; by: Caller }
  | { type: 'ClaimStatusChanged'; from: ClaimStatus; reason: string | undefined; by: Caller }
  | {
      type: 'ClaimEscalationRequested';
      from: ClaimStatus;
      triggers: readonly DetectedTrigger[];
      injuries: boolean;
      by: Caller;
    }
  | { type: 'ClaimActivityRecorded'; entry: RecordedActivity; by: Caller };

export function eventOf(planned: PlannedEvent, claim: ClaimEntity, at: Date): AnyEvent {
  switch (planned.type) {
    case 'ClaimOpened':
      return claimOpened(claim, planned.channel, planned.by, at);
    case 'ClaimScored':
      return claimScored(claim, planned.by, at);
    case 'ClaimUpdated':
      return claimUpdated(claim, planned.changedFields, planned.by, at);
    case 'ClaimArchived':
      return claimArchived(claim, planned.by, at);
    case 'ClaimStatusChanged':
      return claimStatusChanged(claim, planned.from, planned.reason, planned.by, at);
    case 'ClaimEscalationRequested':
      return claimEscalationRequested(
        claim,
        planned.from,
        planned.triggers,
        planned.injuries,
        planned.by,
        at,
      );
    case 'ClaimActivityRecorded':
      return claimActivityRecorded(claim, planned.entry, planned.by, at);
  }
}
