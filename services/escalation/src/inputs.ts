// GraphQL inputs, validated at the edge of the service: every problem is reported at once
// (VALIDATION.FAILED). Business rules are in escalation/escalation.rules.ts.
import { z } from '@crm/config';
import { advisorStatus, escalationStatus } from './mapping';

/** GraphQL sends null for an omitted nullable field in variables; null means "not given". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const text = (max: number) => z.string().trim().min(1, 'must not be blank').max(max);

export const idSchema = z.uuid('must be a UUID');
export const escalationStatusSchema = z.enum(escalationStatus.values);
export const advisorStatusSchema = z.enum(advisorStatus.values);

export const escalateClaimInput = z.object({
  claimId: idSchema,
  clientId: optional(idSchema),
  reasons: z.array(text(200)).min(1, 'give at least one reason').max(10),
  cciScore: optional(z.number().int().min(0).max(100)),
});
export type EscalateClaimInput = z.infer<typeof escalateClaimInput>;

export const assignEscalationInput = z.object({ escalationId: idSchema, advisorId: idSchema });
export type AssignEscalationInput = z.infer<typeof assignEscalationInput>;

export const startEscalationInput = z.object({ escalationId: idSchema });
export type StartEscalationInput = z.infer<typeof startEscalationInput>;

export const resolveEscalationInput = z.object({ escalationId: idSchema, resolution: text(2000) });
export type ResolveEscalationInput = z.infer<typeof resolveEscalationInput>;

export const registerAdvisorInput = z.object({
  name: text(100),
  email: optional(z.email('must be an e-mail address').max(100).toLowerCase()),
  phone: optional(text(20)),
  specialty: optional(text(100)),
  capacity: optional(z.number().int().min(1).max(50)).transform((v) => v ?? 5),
  status: optional(advisorStatusSchema).transform((v) => v ?? 'AVAILABLE'),
});
export type RegisterAdvisorInput = z.infer<typeof registerAdvisorInput>;

export const setAdvisorStatusInput = z.object({ advisorId: idSchema, status: advisorStatusSchema });
export type SetAdvisorStatusInput = z.infer<typeof setAdvisorStatusInput>;
