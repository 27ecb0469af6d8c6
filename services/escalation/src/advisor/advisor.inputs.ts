// GraphQL inputs of the advisors, validated at the edge of the service: every problem is
// reported at once (VALIDATION.FAILED).
import { z } from '@crm/config';
import { idSchema, optional, text } from '../shared/inputs';
import { advisorStatus } from './advisor.mapping';

export const advisorStatusSchema = z.enum(advisorStatus.values);

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
