// The conversation subgraph's arguments, parsed once at the resolver edge.
import { z } from '@crm/config';

/** `{ [field]: uuid }`, so a bad id is reported under the argument's own name. */
export const uuidArg = <F extends string>(field: F) =>
  z.object({ [field]: z.uuid('must be a UUID') } as Record<F, z.ZodUUID>);

/** `last` of messages(last): a positive page of the newest messages. */
export const MAX_LAST = 500;
export const lastSchema = z.object({
  last: z
    .number()
    .int()
    .min(1, `must be between 1 and ${MAX_LAST}`)
    .max(MAX_LAST, `must be between 1 and ${MAX_LAST}`)
    .nullish(),
});
