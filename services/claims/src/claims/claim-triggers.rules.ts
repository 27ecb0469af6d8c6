// The seed's automatic triggers (« Système d'Escalade »): CCI > threshold, injuries and a
// responsible third party escalate; missing documents raise an alert only. Pure: the
// service records what these rules return, in the transaction that changes the claim.
import type { ClaimFacts } from '@crm/cci';
import { canTransition } from './claim-lifecycle.rules';
import type { ClaimStatus } from './claim.mapping';

/** DELAY_EXCEEDED is the stall timer's (claim-delay.rules.ts), not a scoring's. */
export type EscalationTriggerCode =
  'CCI_ABOVE_THRESHOLD' | 'INJURIES' | 'THIRD_PARTY_RESPONSIBLE' | 'DELAY_EXCEEDED';
/** ACTION_OVERDUE (issue 19): a recommended action past its due date, recorded once per action */
export type AlertTriggerCode = 'MISSING_DOCUMENTS' | 'ACTION_OVERDUE';
export type TriggerCode = EscalationTriggerCode | AlertTriggerCode;
/** ESCALATION moves the claim to ESCALATED; ALERT only asks for an action (info_client). */
export type TriggerKind = 'ESCALATION' | 'ALERT';

export interface DetectedTrigger {
  code: TriggerCode;
  kind: TriggerKind;
  /** French: advisors read it */
  reason: string;
}

/** One entry of `sinistres.declencheurs`. */
export interface RecordedTrigger extends DetectedTrigger {
  /** ISO instant it was first detected */
  at: string;
}

const ESCALATION_CODES: readonly string[] = ['CCI_ABOVE_THRESHOLD', 'INJURIES', 'THIRD_PARTY_RESPONSIBLE'];

/**
 * What fires for a scored claim: the escalation triggers @crm/cci's decision recorded in the
 * breakdown (same thresholds as the score), plus the missing-documents alert.
 */
export function detectTriggers(
  breakdown: { triggers: readonly { code: string; reason: string }[] },
  facts: ClaimFacts,
): DetectedTrigger[] {
  const detected: DetectedTrigger[] = breakdown.triggers
    .filter((t) => ESCALATION_CODES.includes(t.code))
    .map((t) => ({ code: t.code as EscalationTriggerCode, kind: 'ESCALATION', reason: t.reason }));
  if (facts.documentsProvided === false) {
    detected.push({
      code: 'MISSING_DOCUMENTS',
      kind: 'ALERT',
      reason: 'Documents manquants : photos et pièces justificatives à demander au client',
    });
  }
  return detected;
}

export interface TriggerPlan {
  /** triggers detected for the first time: appended to declencheurs */
  added: RecordedTrigger[];
  /** move to ESCALATED and publish ClaimEscalationRequested */
  escalate: boolean;
  /** every escalation trigger currently firing (what the escalation service is told) */
  escalation: DetectedTrigger[];
}

/**
 * Decides what a (re)scoring does with its triggers. A trigger is recorded once, when first
 * detected. A claim escalates when a trigger it has never had fires and its status can move
 * to ESCALATED: a claim already ESCALATED is the same open escalation (the new trigger is
 * recorded, nothing is published twice), a CLOSED claim is not reopened, and a trigger an
 * advisor has already dealt with does not escalate again on every correction of the facts.
 */
export function planTriggers(
  recorded: readonly RecordedTrigger[],
  detected: readonly DetectedTrigger[],
  status: ClaimStatus,
  now: Date,
): TriggerPlan {
  const known = new Set(recorded.map((t) => t.code));
  const added = detected.filter((t) => !known.has(t.code)).map((t) => ({ ...t, at: now.toISOString() }));
  const escalation = detected.filter((t) => t.kind === 'ESCALATION');
  const escalate =
    added.some((t) => t.kind === 'ESCALATION') &&
    status !== 'ESCALATED' &&
    canTransition(status, 'ESCALATED');
  return { added, escalate, escalation };
}

/** French reason of the automatic move to ESCALATED (status history, ClaimStatusChanged). */
export function escalationReason(triggers: readonly DetectedTrigger[]): string {
  return `Escalade automatique : ${triggers.map((t) => t.reason).join(' ; ')}`.slice(0, 500);
}
