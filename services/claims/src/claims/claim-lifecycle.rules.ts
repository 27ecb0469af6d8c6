// The dossier lifecycle (seed, « États du Dossier »): which status may follow which. Pure:
// no I/O; the service applies it inside the transaction that changes the row.
import type { ClaimStatus } from './claim.mapping';
import { claimsError } from '../errors';

/**
 * Allowed transitions (README "Lifecycle" explains each row). CLOSED is terminal: a settled
 * claim that comes back is a new declaration. ESCALATED is reachable from every open state
 * because an escalation trigger (injuries declared late, a responsible third party...) can
 * appear at any point of the handling.
 */
export const CLAIM_TRANSITIONS = {
  NEW: ['IN_PROGRESS', 'ESCALATED', 'AWAITING_CLIENT', 'EXPERT_REVIEW'],
  IN_PROGRESS: ['EXPERT_REVIEW', 'VALIDATION', 'AWAITING_CLIENT', 'ESCALATED', 'CLOSED'],
  // CLOSED (issue 19): the contract covers nothing (the reimbursement rejected with its reason)
  EXPERT_REVIEW: ['IN_PROGRESS', 'VALIDATION', 'AWAITING_CLIENT', 'ESCALATED', 'CLOSED'],
  VALIDATION: ['CLOSED', 'IN_PROGRESS', 'ESCALATED'],
  AWAITING_CLIENT: ['IN_PROGRESS', 'EXPERT_REVIEW', 'ESCALATED', 'CLOSED'],
  ESCALATED: ['IN_PROGRESS', 'EXPERT_REVIEW', 'AWAITING_CLIENT', 'VALIDATION', 'CLOSED'],
  CLOSED: [],
} as const satisfies Record<ClaimStatus, readonly ClaimStatus[]>;

export function canTransition(from: ClaimStatus, to: ClaimStatus): boolean {
  return (CLAIM_TRANSITIONS[from] as readonly ClaimStatus[]).includes(to);
}

/** Throws CLAIM.INVALID_TRANSITION (details: from, to, allowed) unless from -> to is in the table. */
export function assertTransition(claimId: string, from: ClaimStatus, to: ClaimStatus): void {
  if (canTransition(from, to)) return;
  throw claimsError(
    'CLAIM.INVALID_TRANSITION',
    from === 'CLOSED'
      ? `claim ${claimId} is closed: no status follows CLOSED`
      : `claim ${claimId} cannot go from ${from} to ${to}`,
    { id: claimId, from, to, allowed: [...CLAIM_TRANSITIONS[from]] },
  );
}

/** One entry of `sinistres.historique_statut`: who moved the claim, when and why. */
export interface StatusChange {
  from: ClaimStatus;
  to: ClaimStatus;
  reason: string | null;
  actor: { kind: string; id: string };
  at: string;
  /**
   * what made the lifecycle move (issue 19): the event type (ReimbursementAccepted,
   * EscalationStarted...) or the claim's own fact (CLAIM_OPENED, DOCUMENTS_RECEIVED), and the
   * event's id when an event caused it; absent for a move an advisor made by hand
   */
  cause?: { kind: string; eventId: string | null };
}
