import { isUuid, ValidationError } from '@crm/subgraph';

/** PostgreSQL unique violation on the named constraint (a race the pre-check cannot close). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const driverError = (err as { driverError?: { code?: string; constraint?: string } }).driverError;
  const e = driverError ?? (err as { code?: string; constraint?: string });
  return e.code === '23505' && e.constraint === constraint;
}

/** The calendar date (YYYY-MM-DD, UTC) of an instant. */
export const utcDate = (at: Date): string => at.toISOString().slice(0, 10);

/** A UUID argument, lower-cased (ids are compared as PostgreSQL prints them). */
export function parseId(value: string, field = 'id'): string {
  if (!isUuid(value)) throw new ValidationError([{ field, message: 'must be a UUID' }]);
  return value.toLowerCase();
}
