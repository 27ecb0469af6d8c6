// The seed's French enumeration values (database, CHECK constraints) and the graph's English
// ones (docs/graph.md) meet here and nowhere else.
import { enumMapping } from '@crm/subgraph';
import { reimbursementError } from '../errors';

export type ReimbursementStatus = 'PENDING' | 'ACCEPTED' | 'PAID' | 'REJECTED';
export type StatutRemboursement = 'en_attente' | 'accepté' | 'payé' | 'rejeté';
export type PaymentMethod = 'BANK_TRANSFER' | 'CHEQUE';
export type MoyenPaiement = 'virement' | 'chèque';

const STATUS_TO_DB: Record<ReimbursementStatus, StatutRemboursement> = {
  PENDING: 'en_attente',
  ACCEPTED: 'accepté',
  PAID: 'payé',
  REJECTED: 'rejeté',
};
const PAYMENT_TO_DB: Record<PaymentMethod, MoyenPaiement> = {
  BANK_TRANSFER: 'virement',
  CHEQUE: 'chèque',
};

// the CHECK constraints make an unknown value unreachable unless the table was edited by hand
const corrupt = (column: string) => (value: string) =>
  reimbursementError('REIMBURSEMENT.CORRUPT_ROW', `unknown ${column} "${value}"`);
const status = enumMapping(STATUS_TO_DB, corrupt('statut'));
const payment = enumMapping(PAYMENT_TO_DB, corrupt('moyen_paiement'));

export const REIMBURSEMENT_STATUSES = status.values;
export const PAYMENT_METHODS = payment.values;
export const DB_STATUSES = status.dbValues;
export const DB_PAYMENT_METHODS = payment.dbValues;

export const statusToDb = status.toDb;
export const paymentMethodToDb = payment.toDb;
export const statusFromDb = status.fromDb;

export const paymentMethodFromDb = (value: string | null): PaymentMethod | null =>
  value === null ? null : payment.fromDb(value);

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Exact euro cents of a DECIMAL(12,2) string ("1234.5" -> 123450). pg returns DECIMAL as
 * strings; going through a float would lose cents, so the digits are read as digits.
 */
export function toCents(decimal: string): number {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) throw reimbursementError('REIMBURSEMENT.INVALID_AMOUNT', `not an amount: "${decimal}"`);
  const [, sign, units, fraction = ''] = match;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

/** The DECIMAL(12,2) string of an amount in cents (123450 -> "1234.50"). */
export function fromCents(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The row's fields in the graph's vocabulary (what resolvers return and rules work on). */
export interface ReimbursementRow {
  id: string;
  claimId: string;
  amountClaimed: string | null;
  amountAccepted: string | null;
  deductibleApplied: string | null;
  rejectionReason: string | null;
  acceptedAt: Date | null;
  paidAt: Date | null;
  paymentMethod: string | null;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReimbursementView extends Omit<ReimbursementRow, 'status' | 'paymentMethod'> {
  status: ReimbursementStatus;
  paymentMethod: PaymentMethod | null;
  /**
   * the policyholder whose claim this is, from the claims this service knows (sinistres_connus);
   * null while the claim is unknown here, and then only staff read it (src/policies.ts)
   */
  clientId: string | null;
}

/** A Claim as this subgraph resolves it: its id, and its policyholder as clientId says above. */
export interface ClaimRef {
  id: string;
  clientId: string | null;
}

export function toView(row: ReimbursementRow, clientId: string | null): ReimbursementView {
  return {
    id: row.id,
    claimId: row.claimId,
    clientId,
    amountClaimed: row.amountClaimed,
    amountAccepted: row.amountAccepted,
    deductibleApplied: row.deductibleApplied,
    rejectionReason: row.rejectionReason,
    acceptedAt: row.acceptedAt,
    paidAt: row.paidAt,
    paymentMethod: paymentMethodFromDb(row.paymentMethod),
    status: statusFromDb(row.status),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
