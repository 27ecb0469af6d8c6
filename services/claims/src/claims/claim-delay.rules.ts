// The seed's « Délai > 5 jours → Escalade »: a claim with no progress for more than the
// threshold escalates. Pure: which claims are stalled at a given instant and what the timer
// records; the poller (claim.service.ts, escalateStalled) applies it in the database.
import type { ClaimStatus } from './claim.mapping';
import type { DetectedTrigger } from './claim-triggers.rules';

const DAY_MS = 86_400_000;
/** Seed: "Délai > 5 jours". */
export const DEFAULT_STALL_DAYS = 5;
export const DELAY_TRIGGER_CODE = 'DELAY_EXCEEDED';

/**
 * A claim is stalled when its last progress (date_modification: every transition and update
 * sets it) is strictly before this instant: exactly the threshold is not "more than".
 */
export function stallCutoff(now: Date, days: number = DEFAULT_STALL_DAYS): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

export interface StallCandidate {
  status: ClaimStatus;
  archived: boolean;
  /** date_modification */
  updatedAt: Date;
  triggers: readonly { code: string }[];
}

/**
 * Open (not CLOSED), not archived, no progress for more than `days`, and never fired before:
 * the delay trigger is recorded once per claim, like every trigger. A claim already ESCALATED
 * is stalled too (the alert is recorded; planTriggers keeps it from escalating twice). The
 * poller's SQL (ClaimRepository.lockStalled) is this predicate.
 */
export function isStalled(claim: StallCandidate, now: Date, days: number = DEFAULT_STALL_DAYS): boolean {
  return (
    claim.status !== 'CLOSED' &&
    !claim.archived &&
    claim.updatedAt.getTime() < stallCutoff(now, days).getTime() &&
    !claim.triggers.some((t) => t.code === DELAY_TRIGGER_CODE)
  );
}

/** The escalation trigger the timer fires (French reason: advisors read it). */
export function delayTrigger(days: number = DEFAULT_STALL_DAYS): DetectedTrigger {
  return {
    code: DELAY_TRIGGER_CODE,
    kind: 'ESCALATION',
    reason: `Aucune progression du dossier depuis plus de ${days} jours`,
  };
}
