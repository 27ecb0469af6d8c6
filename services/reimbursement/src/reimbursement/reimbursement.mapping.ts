// The seed's French enumeration values (database, CHECK constraints) and the graph's English
// ones (docs/graph.md) meet here and nowhere else.
import { enumMapping, SEED_PAYMENT_METHOD, SEED_REIMBURSEMENT_STATUS } from '@crm/subgraph';
import { reimbursementError } from '../errors';
import {
  proposalFor,
  type Proposal,
  type RecordedAssessment,
  type RecordedOverride,
} from './assessment.rules';

export type ReimbursementStatus = 'PENDING' | 'ACCEPTED' | 'PAID' | 'REJECTED';
export type StatutRemboursement = 'en_attente' | 'accepté' | 'payé' | 'rejeté';
export type PaymentMethod = 'BANK_TRANSFER' | 'CHEQUE';
export type MoyenPaiement = 'virement' | 'chèque';

const STATUS_TO_DB = SEED_REIMBURSEMENT_STATUS satisfies Record<ReimbursementStatus, StatutRemboursement>;
const PAYMENT_TO_DB = SEED_PAYMENT_METHOD satisfies Record<PaymentMethod, MoyenPaiement>;

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

// exact money lives in money.ts (assessment.rules.ts reads it too, without the mapping)
export { fromCents, toCents } from './money';

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
  assessment: RecordedAssessment | null;
  override: RecordedOverride | null;
  origin: string;
}

export type ReimbursementOrigin = 'ADVISOR' | 'AUTOMATIC';

export interface ReimbursementView extends Omit<ReimbursementRow, 'status' | 'paymentMethod' | 'origin'> {
  status: ReimbursementStatus;
  paymentMethod: PaymentMethod | null;
  origin: ReimbursementOrigin;
  /** the assessment's amounts for the amount claimed now (null unless the contract covers it) */
  proposal: Proposal | null;
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
    assessment: row.assessment,
    override: row.override,
    origin: row.origin === 'automatique' ? 'AUTOMATIC' : 'ADVISOR',
    proposal: row.assessment ? proposalFor(row.assessment, row.amountClaimed) : null,
  };
}

export const originToDb = (origin: ReimbursementOrigin): string =>
  origin === 'AUTOMATIC' ? 'automatique' : 'conseiller';
