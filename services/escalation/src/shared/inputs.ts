// What every GraphQL input of this service is made of (advisor.inputs.ts, escalation.inputs.ts).
import { z } from '@crm/config';

/** GraphQL sends null for an omitted nullable field in variables; null means "not given". */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
export const text = (max: number) => z.string().trim().min(1, 'must not be blank').max(max);

// z.uuid checks the RFC 9562 version and variant; @crm/subgraph's isUuid, which filters keys
// coming from other services, accepts any hex UUID
export const idSchema = z.uuid('must be a UUID');
