// GraphQL inputs, parsed once at the resolver edge into the commands the service takes: every
// problem is reported at once (VALIDATION.FAILED), what a person would call the same value is
// normalized rather than refused.
import { z } from '@crm/config';

export const idSchema = z.uuid('must be a UUID');

export const createWidgetInput = z.object({
  name: z
    .string()
    .transform((v) => v.trim().replace(/\s+/g, ' '))
    .pipe(z.string().min(1, 'must not be blank').max(100, 'must be at most 100 characters')),
});
export type CreateWidget = z.infer<typeof createWidgetInput>;
