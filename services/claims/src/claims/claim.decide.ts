// The decide step of the claim commands (load -> decide -> write): from the command, what
// the service loaded, `now` and the ids it drew, one function returns everything the command
// writes, as a ClaimPlan that ClaimService.write applies in the transaction. No I/O, no
// clock, no random ids.
import { hasInjuries, type CciThresholds } from '@crm/cci';
import type { Actor } from '@crm/events';
import type { Caller } from '@crm/subgraph';
import { decideHolder } from '../assignment/assignment.rules';
import type { NewCase } from '../cases/case.repository';
import { claimCaseOf } from '../cases/case.rules';
import type { RecordedActivity } from './claim-activity.rules';
import { assertTransition, type StatusChange } from './claim-lifecycle.rules';
import {
  LIFECYCLE,
  routeCause,
  routeDocumentsReceived,
  routeOpened,
  type LifecycleCause,
  type Move,
} from './claim-routing.rules';
import {
  detectTriggers,
  escalationReason,
  planTriggers,
  type DetectedTrigger,
  type TriggerPlan,
} from './claim-triggers.rules';
import { UPDATABLE_CLAIM_FIELDS, type ClaimEntity } from './claim.entity';
import type { PlannedEvent } from './claim.events';
import {
  CLAIM_STATUS_DB,
  CLAIM_TYPE_DB,
  HANDLING_DB,
  claimStatusFromDb,
  claimTypeFromDb,
  handlingFromDb,
  type ClaimStatus,
} from './claim.mapping';
import type { ClaimValues } from './claim.repository';
import {
  changedFields,
  claimFacts,
  formatClaimNumber,
  initialActions,
  recordScore,
  recordedExtraFacts,
  sameScore,
  startOfClaimDay,
  type ExtraFacts,
  type NewAction,
  type RecordedScore,
} from './claim.rules';
import type { Channel, OpenClaimInput, RecordActivityInput, UpdateClaimInput } from './claim.inputs';

/** One write of the claim row; its events are built from the row it leaves. */
export interface ClaimWrite {
  /** `insert` opens the claim (every column), `update` changes it */
  kind: 'insert' | 'update';
  values: ClaimValues;
  events: PlannedEvent[];
}

/** An entry on the claim's case timeline; the claim's id, number and client come from its row. */
export interface PlannedJournalEntry {
  type: 'CLAIM_OPENED' | 'DELAY_EXCEEDED';
  caseId: string;
  payload: Record<string, unknown>;
  actor: Actor;
}

/** Everything one command writes. */
export interface ClaimPlan {
  claimId: string;
  at: Date;
  /** the case an opening creates when the claim is linked to none */
  newCase: NewCase | null;
  /** in order: an update applies to the row the write before it left */
  writes: [ClaimWrite, ...ClaimWrite[]];
  /** recommended actions of a new claim */
  actions: NewAction[];
  /** entries recorded by hand (recordClaimActivity), rows of `activites_sinistre` */
  activities: RecordedActivity[];
  journal: PlannedJournalEntry[];
}

const planOf = (
  claimId: string,
  at: Date,
  writes: ClaimPlan['writes'],
  more: Partial<Pick<ClaimPlan, 'newCase' | 'actions' | 'activities' | 'journal'>> = {},
): ClaimPlan => ({ claimId, at, newCase: null, writes, actions: [], activities: [], journal: [], ...more });

/** Automatic changes (escalation triggers) are the system's, in the caller's causal chain. */
export const AUTOMATIC: Actor = { kind: 'system', id: 'claims.triggers' };
const automatic = (caller: Caller): Caller => ({ ...caller, actor: AUTOMATIC });

/** The lifecycle's own moves (claim-routing.rules.ts), by the system, in the cause's chain. */
const byLifecycle = (caller: Caller): Caller => ({ ...caller, actor: LIFECYCLE });

/** A routing move as a write, with its cause recorded in historique_statut. */
function routed(
  current: Lifecycle,
  move: Move | null,
  caller: Caller,
  at: Date,
  causeKind: string,
): ClaimWrite | null {
  if (!move) return null;
  return decideTransition(
    current,
    move.to,
    move.reason,
    byLifecycle(caller),
    at,
    {},
    {
      kind: causeKind,
      eventId: caller.causationId ?? null,
    },
  );
}

/** What a status change reads of the claim. */
type Lifecycle = Pick<ClaimEntity, 'id' | 'status' | 'statusHistory'>;

/**
 * The one way a claim's status changes: checked against the lifecycle (a move outside the
 * table is CLAIM.INVALID_TRANSITION and writes nothing), recorded in historique_statut with
 * its actor, date_fermeture stamped on CLOSED, ClaimStatusChanged.
 */
export function decideTransition(
  current: Lifecycle,
  to: ClaimStatus,
  reason: string | undefined,
  by: Caller,
  at: Date,
  extra: ClaimValues = {},
  cause?: StatusChange['cause'],
): ClaimWrite {
  const from = claimStatusFromDb(current.status);
  assertTransition(current.id, from, to);
  const entry: StatusChange = {
    from,
    to,
    reason: reason ? reason.slice(0, 500) : null,
    actor: by.actor,
    at: at.toISOString(),
    ...(cause ? { cause } : {}),
  };
  return {
    kind: 'update',
    values: {
      ...extra,
      status: CLAIM_STATUS_DB[to],
      ...(to === 'CLOSED' ? { closedAt: at } : {}),
      statusHistory: [...current.statusHistory, entry],
      updatedAt: at,
    },
    events: [{ type: 'ClaimStatusChanged', from, reason, by }],
  };
}

/**
 * A trigger plan's escalation, when it has one: ESCALATED (handling too), by the system, with
 * ClaimStatusChanged and ClaimEscalationRequested.
 */
export function decideEscalation(
  current: Lifecycle,
  triggers: TriggerPlan,
  injuries: boolean,
  caused: Caller,
  at: Date,
): ClaimWrite | null {
  if (!triggers.escalate) return null;
  const by = automatic(caused);
  const move = decideTransition(current, 'ESCALATED', escalationReason(triggers.escalation), by, at, {
    handling: HANDLING_DB.ESCALATED,
  });
  const requested: PlannedEvent = {
    type: 'ClaimEscalationRequested',
    from: claimStatusFromDb(current.status),
    triggers: triggers.escalation,
    injuries,
    by,
  };
  return { ...move, events: [...move.events, requested] };
}

/** Facts only an event consumer knows (the bot checked the contract). */
export type KnownFacts = Pick<ExtraFacts, 'contractStatus' | 'coverageApplies' | 'documentsProvided'>;

export interface OpenClaimCommand {
  input: OpenClaimInput;
  channel: Channel;
  knownFacts?: KnownFacts | undefined;
  caller: Caller;
}

/** What an opening loads for a new claim. */
export interface OpeningFacts {
  /** numero_sinistre_seq's next value */
  sequence: string;
  /** the client's claims in the 12 months before this one (the CCI's history fact) */
  priorClaims: number;
}

/**
 * A new claim: numbered, scored, NEW with its recommended actions, on its case's timeline
 * (the partner case it was linked to, or a case of its own), ClaimOpened + ClaimScored; an
 * escalation trigger moves it to ESCALATED in the same plan.
 */
export function decideOpenClaim(
  cmd: OpenClaimCommand,
  loaded: OpeningFacts,
  ids: { claimId: string; caseId: string },
  now: Date,
  thresholds: CciThresholds,
  autoRouting = true,
): ClaimPlan {
  const { input, caller } = cmd;
  const declared = declaredFacts(input);
  const extra = { ...cmd.knownFacts, injuries: input.injuries, priorClaimsLast12Months: loaded.priorClaims };
  const facts = claimFacts(declared, extra, now);
  const score = recordScore(facts, thresholds, now);
  const triggers = planTriggers([], detectTriggers(score.breakdown, facts), 'NEW', now);
  const newCase = input.caseId ? null : claimCaseOf(input.clientId, ids.caseId, now);
  const caseId = input.caseId ?? ids.caseId;
  const opened: ClaimWrite = {
    kind: 'insert',
    values: {
      id: ids.claimId,
      ...declared,
      ...declaredColumns(input),
      claimNumber: formatClaimNumber(now, loaded.sequence),
      status: CLAIM_STATUS_DB.NEW,
      handling: HANDLING_DB[score.breakdown.handling],
      caseId,
      createdAt: now,
      updatedAt: now,
      triggers: triggers.added,
      statusHistory: [],
      ...scoreColumns(score),
    },
    events: [
      { type: 'ClaimOpened', channel: cmd.channel, by: caller },
      { type: 'ClaimScored', by: caller },
    ],
  };
  const fresh = { id: ids.claimId, status: CLAIM_STATUS_DB.NEW, statusHistory: [] };
  const escalation = decideEscalation(fresh, triggers, hasInjuries(facts), caller, now);
  // not escalated: the lifecycle routes it at once (in progress, expert review, awaiting documents)
  const route =
    escalation || !autoRouting
      ? null
      : routed(
          fresh,
          routeOpened(score.breakdown.handling, facts.documentsProvided, {
            score: score.score,
            ...thresholds,
          }),
          caller,
          now,
          'CLAIM_OPENED',
        );
  const moves = [escalation, route].filter((w): w is ClaimWrite => w !== null);
  return planOf(ids.claimId, now, [opened, ...moves], {
    newCase,
    actions: initialActions(facts, score.breakdown.handling),
    journal: [openingEntry(input, caseId, score, caller.actor)],
  });
}

/** The claim's opening on its case's timeline (CLAIM_OPENED). */
function openingEntry(
  input: OpenClaimInput,
  caseId: string,
  score: RecordedScore,
  actor: Actor,
): PlannedJournalEntry {
  const payload = {
    claimType: input.type,
    status: 'NEW',
    handling: score.breakdown.handling,
    cciScore: score.score,
  };
  return { type: 'CLAIM_OPENED', caseId, payload, actor };
}

/** The declared answers the CCI reads. */
function declaredFacts(input: OpenClaimInput) {
  return {
    type: input.type,
    occurredAt: input.occurredAt,
    thirdPartyInvolved: input.thirdPartyInvolved ?? null,
    thirdPartyResponsible: input.thirdPartyResponsible ?? null,
    amicableReport: input.amicableReport ?? null,
    policeReport: input.policeReport ?? null,
    estimatedDamage: input.estimatedDamage ?? null,
    photoUrls: input.photoUrls ?? null,
  };
}

/** The other declared columns, as stored (type_sinistre in French). */
function declaredColumns(input: OpenClaimInput): ClaimValues {
  return {
    clientId: input.clientId,
    contractId: input.contractId ?? null,
    occurredTimeKnown: input.occurredTimeKnown ?? true,
    type: CLAIM_TYPE_DB[input.type],
    description: input.description ?? null,
    location: input.location ?? null,
    thirdPartyName: input.thirdPartyName ?? null,
    thirdPartyContact: input.thirdPartyContact ?? null,
    amicableReportNumber: input.amicableReportNumber ?? null,
    policeReportNumber: input.policeReportNumber ?? null,
    estimatedOn: input.estimatedOn ?? null,
  };
}

/**
 * A correction of the declared facts. The claim is rescored from the new facts (ClaimScored
 * when the recorded score or its explanation changes); type_traitement stays: re-routing a
 * claim already handled is the lifecycle's decision. null: nothing to write.
 */
export function decideUpdateClaim(
  input: UpdateClaimInput,
  current: ClaimEntity,
  caller: Caller,
  now: Date,
  thresholds: CciThresholds,
): ClaimPlan | null {
  // a new instant is a known hour unless said otherwise; the hour said unknown alone keeps the
  // recorded day, at its start
  const given: Partial<UpdateClaimInput> = { ...input };
  if (input.occurredAt !== undefined && input.occurredTimeKnown === undefined) given.occurredTimeKnown = true;
  if (input.occurredAt === undefined && input.occurredTimeKnown === false)
    given.occurredAt = startOfClaimDay(current.occurredAt);
  const patch: ClaimValues = {};
  for (const field of UPDATABLE_CLAIM_FIELDS) {
    const value = given[field];
    if (value !== undefined) Object.assign(patch, { [field]: value });
  }
  if (input.type !== undefined) patch.type = CLAIM_TYPE_DB[input.type];
  const changed = changedFields(current, patch);
  const rescoring = rescore(current, patch, input.injuries, thresholds, now);
  const score = rescoring?.score;
  const rescored = score !== undefined && !sameScore(score, current);
  const triggers = rescoring?.triggers;
  if (!changed.length && !rescored && !triggers?.added.length) return null;

  const events: PlannedEvent[] = [];
  const [head, ...rest] = changed;
  if (head) events.push({ type: 'ClaimUpdated', changedFields: [head, ...rest], by: caller });
  if (rescored) events.push({ type: 'ClaimScored', by: caller });
  const updated: ClaimWrite = {
    kind: 'update',
    values: {
      ...Object.fromEntries(changed.map((f) => [f, patch[f]])),
      ...(score && rescored ? scoreColumns(score) : {}),
      ...(triggers?.added.length ? { triggers: [...current.triggers, ...triggers.added] } : {}),
      updatedAt: now,
    },
    events,
  };
  const escalation =
    rescoring && decideEscalation(current, rescoring.triggers, rescoring.injuries, caller, now);
  // photos or documents given to a claim that waited for them: the lifecycle takes it back
  const received = changed.includes('photoUrls') && (patch.photoUrls?.length ?? 0) > 0;
  const back =
    !escalation && received
      ? routed(current, documentsBack(current), caller, now, 'DOCUMENTS_RECEIVED')
      : null;
  const moves = [escalation, back].filter((w): w is ClaimWrite => !!w);
  return planOf(current.id, now, [updated, ...moves]);
}

/** The score and triggers of the claim once patched; none for a claim recorded without a type. */
function rescore(
  current: ClaimEntity,
  patch: ClaimValues,
  injuries: boolean | null | undefined,
  thresholds: CciThresholds,
  now: Date,
): { score: RecordedScore; triggers: TriggerPlan; injuries: boolean } | undefined {
  const merged = { ...current, ...patch };
  // a claim recorded without a type (possible in the seed's schema) cannot be scored
  if (merged.type == null) return undefined;
  const extra = recordedExtraFacts(current.cciBreakdown, current.photoUrls != null);
  if (injuries !== undefined) extra.injuries = injuries;
  const facts = claimFacts({ ...merged, type: claimTypeFromDb(merged.type) }, extra, current.createdAt);
  const score = recordScore(facts, thresholds, now);
  const detected = detectTriggers(score.breakdown, facts);
  const triggers = planTriggers(current.triggers, detected, claimStatusFromDb(current.status), now);
  return { score, triggers, injuries: hasInjuries(facts) };
}

/** changeClaimStatus: a move along the lifecycle. */
export function decideStatusChange(
  current: ClaimEntity,
  to: ClaimStatus,
  reason: string | undefined,
  by: Caller,
  now: Date,
): ClaimPlan {
  return planOf(current.id, now, [decideTransition(current, to, reason, by, now)]);
}

/**
 * recordClaimActivity: a row of `activites_sinistre`. It is progress: date_modification moves,
 * so the 5-day timer counts from it.
 */
export function decideActivity(
  input: RecordActivityInput,
  current: ClaimEntity,
  caller: Caller,
  now: Date,
): ClaimPlan {
  const entry: RecordedActivity = {
    kind: input.kind,
    detail: input.detail || null,
    at: (input.at ?? now).toISOString(),
    actor: caller.actor,
    recordedAt: now.toISOString(),
  };
  const recorded: ClaimWrite = {
    kind: 'update',
    values: { updatedAt: now },
    events: [{ type: 'ClaimActivityRecorded', entry, by: caller }],
  };
  const back =
    input.kind === 'DOCUMENTS_RECEIVED'
      ? routed(current, documentsBack(current), caller, now, 'DOCUMENTS_RECEIVED')
      : null;
  return planOf(current.id, now, back ? [recorded, back] : [recorded], { activities: [entry] });
}

function documentsBack(current: ClaimEntity): Move | null {
  return routeDocumentsReceived(
    claimStatusFromDb(current.status),
    current.handling ? handlingFromDb(current.handling) : null,
  );
}

/**
 * Another domain's fact moves the claim (claims.lifecycle consumer): an advisor took its
 * escalation, its reimbursement was accepted, paid or rejected. null: no move from where it
 * stands (the lifecycle does not allow it, or it is there already).
 */
export function decideCause(
  current: ClaimEntity,
  cause: LifecycleCause,
  causeType: string,
  caller: Caller,
  now: Date,
): ClaimPlan | null {
  const write = routed(current, routeCause(claimStatusFromDb(current.status), cause), caller, now, causeType);
  return write ? planOf(current.id, now, [write]) : null;
}

/**
 * The escalation queue gave the claim's entry to an advisor (AdvisorAssigned): he is the
 * claim's assigned advisor (a reassignment replaces him; an older assignment delivered late
 * changes nothing: decideHolder). Like any other field change, a new advisor publishes
 * ClaimUpdated (`assignedAdvisor`) and moves date_modification (an advisor taking the claim is
 * progress for the 5-day timer); the status stays (the lifecycle's, not the queue's). The same
 * advisor again only records the later instant. null: nothing to write.
 */
export function decideAdvisorAssignment(
  current: ClaimEntity,
  assignment: { advisorId: string; assignedAt: Date },
  caller: Caller,
  now: Date,
): ClaimPlan | null {
  const holder = decideHolder(
    { advisorId: current.assignedAdvisorId, assignedAt: current.advisorAssignedAt },
    assignment,
  );
  if (holder.kind === 'keep') return null;
  const { advisorId, assignedAt } = assignment;
  return planOf(current.id, now, [
    holder.changed
      ? {
          kind: 'update',
          values: { assignedAdvisorId: advisorId, advisorAssignedAt: assignedAt, updatedAt: now },
          events: [{ type: 'ClaimUpdated', changedFields: ['assignedAdvisor'], by: caller }],
        }
      : { kind: 'update', values: { advisorAssignedAt: assignedAt }, events: [] },
  ]);
}

/** "Archiver": the row stays, listings hide it. null: archived already (idempotent). */
export function decideArchive(current: ClaimEntity, caller: Caller, now: Date): ClaimPlan | null {
  if (current.archivedAt) return null;
  return planOf(current.id, now, [
    {
      kind: 'update',
      values: { archivedAt: now, updatedAt: now },
      events: [{ type: 'ClaimArchived', by: caller }],
    },
  ]);
}

/**
 * The stall timer on one claim: DELAY_EXCEEDED recorded, the claim escalated if it can (a
 * claim already ESCALATED only records it), a DELAY_EXCEEDED entry on its case's timeline.
 */
export function decideDelay(
  current: ClaimEntity,
  trigger: DetectedTrigger,
  timer: Caller,
  now: Date,
): { plan: ClaimPlan; escalated: boolean } {
  const from = claimStatusFromDb(current.status);
  const triggers = planTriggers(current.triggers, [trigger], from, now);
  // recording a trigger is not progress: date_modification moves only with the escalation
  const recorded: ClaimWrite = {
    kind: 'update',
    values: { triggers: [...current.triggers, ...triggers.added] },
    events: [],
  };
  const escalation = decideEscalation(current, triggers, recordedInjuries(current), timer, now);
  const journal: PlannedJournalEntry[] = [];
  // claims opened before every claim had a case have no timeline to write on
  if (current.caseId)
    journal.push({
      type: 'DELAY_EXCEEDED',
      caseId: current.caseId,
      payload: {
        reason: trigger.reason,
        lastProgressAt: current.updatedAt.toISOString(),
        previousStatus: from,
        status: escalation ? 'ESCALATED' : from,
        escalated: triggers.escalate,
      },
      actor: AUTOMATIC,
    });
  const plan = planOf(current.id, now, escalation ? [recorded, escalation] : [recorded], { journal });
  return { plan, escalated: triggers.escalate };
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
