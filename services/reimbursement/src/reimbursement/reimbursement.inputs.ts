// GraphQL inputs, validated at the edge of the service: every problem is reported at once
// (VALIDATION.FAILED). Business rules (amounts against each other, transitions) are in
// reimbursement.rules.ts.
import { z } from '@crm/config';
import { PAYMENT_METHODS, REIMBURSEMENT_STATUSES } from './reimbursement.mapping';

// the Decimal scalar already guarantees the format; the sign is the domain's concern
const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;
const amount = z.string().regex(AMOUNT, 'must be an amount of at least 0, in euros');
const positiveAmount = z
  .string()
  .refine((v) => AMOUNT.test(v) && Number(v) > 0, 'must be an amount greater than 0, in euros');
/** GraphQL sends null for an omitted nullable field in variables; null means "leave as is". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const overrideReason = z.string().trim().min(1, 'must not be blank').max(500);

export const idSchema = z.uuid('must be a UUID');

export const createReimbursementInput = z.object({
  claimId: idSchema,
  amountClaimed: positiveAmount,
  paymentMethod: optional(z.enum(PAYMENT_METHODS)),
  /** opens it although nothing covers the claim (otherwise rejected at once), with the reason */
  overrideReason: optional(overrideReason),
});
export type CreateReimbursementInput = z.infer<typeof createReimbursementInput>;

export const updateReimbursementInput = z.object({
  id: idSchema,
  status: optional(z.enum(REIMBURSEMENT_STATUSES)),
  amountClaimed: optional(positiveAmount),
  amountAccepted: optional(amount),
  deductibleApplied: optional(amount),
  rejectionReason: optional(z.string().trim().min(1, 'must not be blank').max(255)),
  paymentMethod: optional(z.enum(PAYMENT_METHODS)),
  /** why the accepted amounts depart from the contract's proposal (recorded) */
  overrideReason: optional(overrideReason),
  /** the updatedAt the caller read: the change applies only if it still holds (WRITE.STALE) */
  expectedUpdatedAt: z.date('must be a DateTime').nullish(),
});
export type UpdateReimbursementInput = z.infer<typeof updateReimbursementInput>;
