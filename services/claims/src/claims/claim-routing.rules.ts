// The claim file moves by itself (issue 19): where a claim goes when it is opened, when its
// documents arrive, when an advisor takes its escalation, when its reimbursement is accepted,
// paid or rejected. Pure: the service applies a move through the one transition
// (claim.decide.ts decideTransition), which checks it against the lifecycle table and records
// it in historique_statut with its reason and its cause. A move the lifecycle does not allow
// from where the claim stands is not made (null): the claim stays, an advisor decides.
import type { Actor } from '@crm/events';
import { canTransition } from './claim-lifecycle.rules';
import type { ClaimStatus } from './claim.mapping';

/** Moves made by the lifecycle itself, in the chain of what caused them. */
export const LIFECYCLE: Actor = { kind: 'system', id: 'claims.lifecycle' };

export type Handling = 'AUTONOMOUS' | 'ESCALATED' | 'EXPERT';

export interface Move {
  to: ClaimStatus;
  /** French: the advisor and the policyholder read it */
  reason: string;
}

/** What happened elsewhere that moves a claim (the events claims.lifecycle consumes). */
export type LifecycleCause =
  | { kind: 'ESCALATION_STARTED' }
  | { kind: 'REIMBURSEMENT_ACCEPTED'; acceptedCents: number; deductibleCents: number }
  | { kind: 'REIMBURSEMENT_SETTLED'; paidCents: number; paymentMethod: 'BANK_TRANSFER' | 'CHEQUE' }
  | { kind: 'REIMBURSEMENT_REJECTED'; reason: string };

const move = (from: ClaimStatus, to: ClaimStatus, reason: string): Move | null =>
  from !== to && canTransition(from, to) ? { to, reason } : null;

/** "1 200,00 €" from cents, as French readers write it. */
export function euros(cents: number): string {
  const units = Math.floor(Math.abs(cents) / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${cents < 0 ? '-' : ''}${units},${String(Math.abs(cents) % 100).padStart(2, '0')} €`;
}

/**
 * A claim just opened and not escalated: documents missing -> AWAITING_CLIENT (whatever its
 * handling: nothing can be assessed without them); otherwise AUTONOMOUS -> IN_PROGRESS
 * (« En traitement automatique ») and EXPERT (CCI between the thresholds) -> EXPERT_REVIEW.
 */
export function routeOpened(
  handling: Handling,
  documentsProvided: boolean | undefined,
  cci: { score: number; autonomousBelow: number; escalateAbove: number },
): Move | null {
  if (handling === 'ESCALATED') return null;
  if (documentsProvided === false)
    return move(
      'NEW',
      'AWAITING_CLIENT',
      'Documents manquants : en attente des photos et pièces justificatives du client',
    );
  if (handling === 'AUTONOMOUS')
    return move(
      'NEW',
      'IN_PROGRESS',
      `Traitement automatique : CCI de ${cci.score}, inférieur au seuil de ${cci.autonomousBelow}`,
    );
  return move(
    'NEW',
    'EXPERT_REVIEW',
    `CCI de ${cci.score}, entre ${cci.autonomousBelow} et ${cci.escalateAbove} : expertise requise avant tout règlement`,
  );
}

/** Documents received while the claim waits for them: back to where its handling leads. */
export function routeDocumentsReceived(status: ClaimStatus, handling: Handling | null): Move | null {
  if (status !== 'AWAITING_CLIENT') return null;
  const to: ClaimStatus = handling === 'EXPERT' ? 'EXPERT_REVIEW' : 'IN_PROGRESS';
  return move(status, to, 'Documents reçus : reprise du traitement');
}

/** Another domain's fact: where it takes the claim from where it stands. */
export function routeCause(status: ClaimStatus, cause: LifecycleCause): Move | null {
  switch (cause.kind) {
    case 'ESCALATION_STARTED':
      return status === 'ESCALATED' ? move(status, 'IN_PROGRESS', 'Pris en charge par un conseiller') : null;
    case 'REIMBURSEMENT_ACCEPTED': {
      const paid = cause.acceptedCents - cause.deductibleCents;
      return move(
        status,
        'VALIDATION',
        `Montant validé : ${euros(cause.acceptedCents)} accepté, franchise ${euros(cause.deductibleCents)}, ${euros(paid)} à verser`,
      );
    }
    case 'REIMBURSEMENT_SETTLED':
      return move(
        status,
        'CLOSED',
        `Remboursement versé : ${euros(cause.paidCents)} par ${cause.paymentMethod === 'CHEQUE' ? 'chèque' : 'virement'}`,
      );
    case 'REIMBURSEMENT_REJECTED':
      return move(status, 'CLOSED', `Remboursement refusé : ${cause.reason}`);
  }
}
