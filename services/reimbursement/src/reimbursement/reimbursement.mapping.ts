// The seed's French enumeration values (database, CHECK constraints) and the graph's English
// ones (docs/graph.md) meet here and nowhere else.
import { DomainError } from '@crm/subgraph';

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

function invert<K extends string, V extends string>(record: Record<K, V>): Record<V, K> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [v, k])) as Record<V, K>;
}
const STATUS_FROM_DB = invert(STATUS_TO_DB);
const PAYMENT_FROM_DB = invert(PAYMENT_TO_DB);

export const REIMBURSEMENT_STATUSES = Object.keys(STATUS_TO_DB) as ReimbursementStatus[];
export const PAYMENT_METHODS = Object.keys(PAYMENT_TO_DB) as PaymentMethod[];
export const DB_STATUSES = Object.values(STATUS_TO_DB);
export const DB_PAYMENT_METHODS = Object.values(PAYMENT_TO_DB);

export const statusToDb = (status: ReimbursementStatus): StatutRemboursement => STATUS_TO_DB[status];
export const paymentMethodToDb = (method: PaymentMethod): MoyenPaiement => PAYMENT_TO_DB[method];

export function statusFromDb(value: string): ReimbursementStatus {
  const status = STATUS_FROM_DB[value as StatutRemboursement];
  // the CHECK constraint makes this unreachable unless the table was edited by hand
  if (!status) throw new DomainError('REIMBURSEMENT.CORRUPT_ROW', `unknown statut "${value}"`);
  return status;
}

export function paymentMethodFromDb(value: string | null): PaymentMethod | null {
  if (value === null) return null;
  const method = PAYMENT_FROM_DB[value as MoyenPaiement];
  if (!method) throw new DomainError('REIMBURSEMENT.CORRUPT_ROW', `unknown moyen_paiement "${value}"`);
  return method;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Exact euro cents of a DECIMAL(12,2) string ("1234.5" -> 123450). pg returns DECIMAL as
 * strings; going through a float would lose cents, so the digits are read as digits.
 */
export function toCents(decimal: string): number {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) throw new DomainError('REIMBURSEMENT.INVALID_AMOUNT', `not an amount: "${decimal}"`);
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
}

export interface ReimbursementView extends Omit<ReimbursementRow, 'status' | 'paymentMethod'> {
  status: ReimbursementStatus;
  paymentMethod: PaymentMethod | null;
}

export function toView(row: ReimbursementRow): ReimbursementView {
  return {
    id: row.id,
    claimId: row.claimId,
    amountClaimed: row.amountClaimed,
    amountAccepted: row.amountAccepted,
    deductibleApplied: row.deductibleApplied,
    rejectionReason: row.rejectionReason,
    acceptedAt: row.acceptedAt,
    paidAt: row.paidAt,
    paymentMethod: paymentMethodFromDb(row.paymentMethod),
    status: statusFromDb(row.status),
    createdAt: row.createdAt,
  };
}
