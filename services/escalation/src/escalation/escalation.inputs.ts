// GraphQL inputs of the queue, validated at the edge of the service: every problem is reported
// at once (VALIDATION.FAILED). Business rules are in escalation.rules.ts.
import { z } from '@crm/config';
import { idSchema, optional, text } from '../shared/inputs';
import { escalationStatus } from './escalation.mapping';

export const escalationStatusSchema = z.enum(escalationStatus.values);

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
