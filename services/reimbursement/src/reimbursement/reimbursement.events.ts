// The events this service publishes, built from the row as written (schemas/events/reimbursement).
import { newEvent, type AnyEvent } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import { toCents } from './reimbursement.mapping';
import { amountPaidCents, type EditableField, type ReimbursementState } from './reimbursement.rules';

export const SOURCE = 'reimbursement';

type Row = ReimbursementState & { id: string; claimId: string };

const options = (row: Row, by: Caller, at: Date) => eventOptions(by, SOURCE, row.id, at);
// decideUpdate guarantees these on the transitions; a miss is a bug, not a default
function required<T>(value: T | null, field: string): T {
  if (value === null) throw new Error(`reimbursement event: ${field} missing after the transition`);
  return value;
}
const cents = (amount: string | null): number => toCents(amount ?? '0');

export function reimbursementCreated(row: Row, by: Caller, at: Date): AnyEvent {
  return newEvent(
    'ReimbursementCreated',
    {
      reimbursementId: row.id,
      claimId: row.claimId,
      amountClaimedCents: cents(row.amountClaimed),
      currency: 'EUR',
      ...(row.paymentMethod ? { paymentMethod: row.paymentMethod } : {}),
    },
    options(row, by, at),
  );
}

/** The event of a status transition, or of a plain edit (ReimbursementUpdated). */
export function reimbursementChanged(
  before: ReimbursementState,
  row: Row,
  transition: 'ACCEPTED' | 'PAID' | 'REJECTED' | null,
  changedFields: EditableField[],
  by: Caller,
  at: Date,
): AnyEvent | null {
  switch (transition) {
    case 'ACCEPTED':
      return newEvent(
        'ReimbursementAccepted',
        {
          reimbursementId: row.id,
          claimId: row.claimId,
          amountClaimedCents: cents(row.amountClaimed),
          amountAcceptedCents: cents(row.amountAccepted),
          deductibleCents: cents(row.deductibleApplied),
          currency: 'EUR',
          acceptedAt: (row.acceptedAt ?? at).toISOString(),
        },
        options(row, by, at),
      );
    case 'PAID':
      return newEvent(
        'ReimbursementSettled',
        {
          reimbursementId: row.id,
          claimId: row.claimId,
          amountCents: amountPaidCents(row),
          amountAcceptedCents: cents(row.amountAccepted),
          deductibleCents: cents(row.deductibleApplied),
          currency: 'EUR',
          settledAt: (row.paidAt ?? at).toISOString(),
          paymentMethod: required(row.paymentMethod, 'paymentMethod'),
        },
        options(row, by, at),
      );
    case 'REJECTED':
      return newEvent(
        'ReimbursementRejected',
        {
          reimbursementId: row.id,
          claimId: row.claimId,
          reason: required(row.rejectionReason, 'rejectionReason'),
          previousStatus: before.status === 'ACCEPTED' ? 'ACCEPTED' : 'PENDING',
        },
        options(row, by, at),
      );
    case null: {
      const [first, ...rest] = changedFields;
      if (!first || (row.status !== 'PENDING' && row.status !== 'ACCEPTED')) return null;
      return newEvent(
        'ReimbursementUpdated',
        {
          reimbursementId: row.id,
          claimId: row.claimId,
          status: row.status,
          changedFields: [first, ...rest],
        },
        options(row, by, at),
      );
    }
  }
}
