import { type z } from 'zod';
import { ValidationError } from './errors';

/** Parses GraphQL input with a zod schema; failures become one ValidationError with every field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(input)',
      message: issue.message,
    })),
  );
}
