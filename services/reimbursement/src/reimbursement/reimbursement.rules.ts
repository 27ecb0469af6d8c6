// The reimbursement lifecycle (seed: remboursements.statut 'en_attente' -> 'accepté' ->
// 'payé', or 'rejeté'), as pure functions of the current state, the requested change and `now`.
import { fromCents, toCents, type PaymentMethod, type ReimbursementStatus } from './reimbursement.mapping';
import { reimbursementError } from '../errors';

export interface ReimbursementState {
  status: ReimbursementStatus;
  amountClaimed: string | null;
  amountAccepted: string | null;
  deductibleApplied: string | null;
  rejectionReason: string | null;
  paymentMethod: PaymentMethod | null;
  acceptedAt: Date | null;
  paidAt: Date | null;
}

/** What an update asks for; an absent field is left as it is. */
export interface ReimbursementPatch {
  status?: ReimbursementStatus;
  amountClaimed?: string;
  amountAccepted?: string;
  deductibleApplied?: string;
  rejectionReason?: string;
  paymentMethod?: PaymentMethod;
}

export type EditableField = 'amountClaimed' | 'amountAccepted' | 'deductibleApplied' | 'paymentMethod';
type PatchField = Exclude<keyof ReimbursementPatch, 'status'>;

/** PAID and REJECTED are final: money left the company, or the client was told no. */
export const TRANSITIONS: Record<ReimbursementStatus, readonly ReimbursementStatus[]> = {
  PENDING: ['ACCEPTED', 'REJECTED'],
  ACCEPTED: ['PAID', 'REJECTED'],
  PAID: [],
  REJECTED: [],
};

/** Which fields may be set in each (target) status. */
const EDITABLE_IN: Record<ReimbursementStatus, readonly PatchField[]> = {
  PENDING: ['amountClaimed', 'paymentMethod'],
  ACCEPTED: ['amountClaimed', 'amountAccepted', 'deductibleApplied', 'paymentMethod'],
  // the amount is frozen once accepted; paying only records how
  PAID: ['paymentMethod'],
  REJECTED: ['rejectionReason'],
};

export const isFinal = (status: ReimbursementStatus): boolean => TRANSITIONS[status].length === 0;

export interface NewReimbursement {
  amountClaimed: string;
  paymentMethod?: PaymentMethod;
}

/** A new request always starts PENDING, with nothing accepted yet. */
export function newReimbursement(input: NewReimbursement): ReimbursementState {
  if (toCents(input.amountClaimed) <= 0) {
    throw reimbursementError('REIMBURSEMENT.INVALID_AMOUNT', 'the claimed amount must be positive', {
      field: 'amountClaimed',
    });
  }
  return {
    status: 'PENDING',
    amountClaimed: fromCents(toCents(input.amountClaimed)),
    amountAccepted: null,
    deductibleApplied: null,
    rejectionReason: null,
    paymentMethod: input.paymentMethod ?? null,
    acceptedAt: null,
    paidAt: null,
  };
}

export interface UpdateDecision {
  next: ReimbursementState;
  /** the status entered, when the update changed it */
  transition: 'ACCEPTED' | 'PAID' | 'REJECTED' | null;
  /** fields changed without a transition (ReimbursementUpdated) */
  changedFields: EditableField[];
  /** nothing to write: the update repeats the current state */
  unchanged: boolean;
}

const sameAmount = (a: string | null, b: string | null): boolean =>
  a === null || b === null ? a === b : toCents(a) === toCents(b);

function differs(current: ReimbursementState, field: PatchField, value: string): boolean {
  switch (field) {
    case 'amountClaimed':
    case 'amountAccepted':
    case 'deductibleApplied':
      return !sameAmount(current[field], value);
    case 'rejectionReason':
      return current.rejectionReason !== value.trim();
    case 'paymentMethod':
      return current.paymentMethod !== value;
  }
}

export function decideUpdate(
  current: ReimbursementState,
  patch: ReimbursementPatch,
  now: Date,
): UpdateDecision {
  const target = patch.status ?? current.status;
  const entering = target !== current.status ? target : null;
  if (entering && !TRANSITIONS[current.status].includes(entering)) {
    throw reimbursementError(
      'REIMBURSEMENT.INVALID_TRANSITION',
      `a ${current.status} reimbursement cannot become ${entering}`,
      { from: current.status, to: entering, allowed: TRANSITIONS[current.status] },
    );
  }
  // a repeated request (same values) is not a change, so retries stay harmless
  const given = (Object.keys(patch) as (keyof ReimbursementPatch)[]).filter(
    (f): f is PatchField => f !== 'status' && patch[f] !== undefined && differs(current, f, patch[f]),
  );
  if (!entering && !given.length) {
    return { next: current, transition: null, changedFields: [], unchanged: true };
  }
  if (!entering && isFinal(current.status)) {
    throw reimbursementError(
      'REIMBURSEMENT.ALREADY_FINAL',
      `a ${current.status} reimbursement cannot change`,
      {
        status: current.status,
        fields: given,
      },
    );
  }
  const notEditable = given.filter((f) => !EDITABLE_IN[target].includes(f));
  if (notEditable.length) {
    throw reimbursementError(
      'REIMBURSEMENT.FIELD_NOT_EDITABLE',
      `${notEditable.join(', ')} cannot be set on a ${target} reimbursement`,
      { fields: notEditable, status: target },
    );
  }

  const next: ReimbursementState = { ...current, status: target };
  if (patch.amountClaimed !== undefined) next.amountClaimed = fromCents(toCents(patch.amountClaimed));
  if (patch.amountAccepted !== undefined) next.amountAccepted = fromCents(toCents(patch.amountAccepted));
  if (patch.deductibleApplied !== undefined)
    next.deductibleApplied = fromCents(toCents(patch.deductibleApplied));
  if (patch.paymentMethod !== undefined) next.paymentMethod = patch.paymentMethod;
  if (patch.rejectionReason !== undefined) next.rejectionReason = patch.rejectionReason.trim();

  if (target === 'ACCEPTED') checkAcceptedAmounts(next);
  if (entering === 'ACCEPTED') {
    next.deductibleApplied ??= '0.00';
    next.acceptedAt = now;
  }
  if (entering === 'PAID') {
    if (!next.paymentMethod) {
      throw reimbursementError(
        'REIMBURSEMENT.PAYMENT_METHOD_REQUIRED',
        'say how the reimbursement was paid',
        {
          field: 'paymentMethod',
        },
      );
    }
    next.paidAt = now;
  }
  if (entering === 'REJECTED' && !next.rejectionReason) {
    throw reimbursementError('REIMBURSEMENT.REJECTION_REASON_REQUIRED', 'a rejection needs a reason', {
      field: 'rejectionReason',
    });
  }

  const changedFields = entering
    ? []
    : (['amountClaimed', 'amountAccepted', 'deductibleApplied', 'paymentMethod'] as const).filter(
        (f) => next[f] !== current[f],
      );
  return { next, transition: entering as UpdateDecision['transition'], changedFields, unchanged: false };
}

function checkAcceptedAmounts(next: ReimbursementState): void {
  if (next.amountAccepted === null) {
    throw reimbursementError(
      'REIMBURSEMENT.AMOUNT_ACCEPTED_REQUIRED',
      'accepting needs the accepted amount',
      {
        field: 'amountAccepted',
      },
    );
  }
  const accepted = toCents(next.amountAccepted);
  const deductible = next.deductibleApplied === null ? 0 : toCents(next.deductibleApplied);
  if (accepted < 0 || deductible < 0) {
    throw reimbursementError('REIMBURSEMENT.NEGATIVE_AMOUNT', 'amounts cannot be negative', {
      field: accepted < 0 ? 'amountAccepted' : 'deductibleApplied',
    });
  }
  if (next.amountClaimed !== null && accepted > toCents(next.amountClaimed)) {
    throw reimbursementError(
      'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM',
      `the accepted amount ${next.amountAccepted} exceeds the claimed amount ${next.amountClaimed}`,
      { amountAccepted: next.amountAccepted, amountClaimed: next.amountClaimed },
    );
  }
  if (deductible > accepted) {
    throw reimbursementError(
      'REIMBURSEMENT.DEDUCTIBLE_EXCEEDS_AMOUNT',
      `the deductible ${next.deductibleApplied} exceeds the accepted amount ${next.amountAccepted}`,
      { deductibleApplied: next.deductibleApplied, amountAccepted: next.amountAccepted },
    );
  }
}

/** What the client receives: the accepted amount less the deductible, in cents. */
export const amountPaidCents = (state: ReimbursementState): number =>
  toCents(state.amountAccepted ?? '0') - toCents(state.deductibleApplied ?? '0');
