// The reimbursement domain's error codes (docs/graph.md's table is generated from this).
import { defineErrors } from '@crm/subgraph';

export const REIMBURSEMENT_ERRORS = {
  'REIMBURSEMENT.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no reimbursement with this id' },
  'REIMBURSEMENT.INVALID_TRANSITION': {
    kind: 'UNPROCESSABLE',
    meaning: 'the status change is not one a reimbursement allows',
  },
  'REIMBURSEMENT.ALREADY_FINAL': {
    kind: 'UNPROCESSABLE',
    meaning: 'a paid or rejected reimbursement does not change',
  },
  'REIMBURSEMENT.FIELD_NOT_EDITABLE': {
    kind: 'UNPROCESSABLE',
    meaning: 'these fields cannot be set in the target status',
  },
  'REIMBURSEMENT.INVALID_AMOUNT': { kind: 'INVALID', meaning: 'not an amount in euros, or not positive' },
  'REIMBURSEMENT.NEGATIVE_AMOUNT': { kind: 'INVALID', meaning: 'amounts cannot be negative' },
  'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM': {
    kind: 'UNPROCESSABLE',
    meaning: 'the accepted amount is more than the amount claimed',
  },
  'REIMBURSEMENT.DEDUCTIBLE_EXCEEDS_AMOUNT': {
    kind: 'UNPROCESSABLE',
    meaning: 'the deductible is more than the accepted amount',
  },
  'REIMBURSEMENT.AMOUNT_ACCEPTED_REQUIRED': {
    kind: 'INVALID',
    meaning: 'accepting needs the accepted amount',
  },
  'REIMBURSEMENT.REJECTION_REASON_REQUIRED': { kind: 'INVALID', meaning: 'a rejection needs a reason' },
  'REIMBURSEMENT.PAYMENT_METHOD_REQUIRED': {
    kind: 'INVALID',
    meaning: 'a payment needs its method (bank transfer, cheque)',
  },
  'REIMBURSEMENT.OVERRIDE_REASON_REQUIRED': {
    kind: 'INVALID',
    meaning: "amounts that depart from the contract's proposal need the advisor's reason (overrideReason)",
  },
  'REIMBURSEMENT.CLIENT_ERASED': {
    kind: 'UNPROCESSABLE',
    meaning: "the claim's policyholder was erased: no new words (a reason) can be written about him",
  },
  'REIMBURSEMENT.CORRUPT_ROW': {
    kind: 'INTERNAL',
    meaning: 'a row holds a value outside its table (edited by hand)',
  },
} as const;

export const { error: reimbursementError, notFound } = defineErrors(REIMBURSEMENT_ERRORS);
