import type { Actor } from '@crm/events';
import { ValidationError } from '@crm/subgraph';

/** Who asked for a state change and in which causal chain: goes into the event envelope. */
export interface CommandMeta {
  actor: Actor;
  correlationId?: string;
  causationId?: string | null;
}

/** PostgreSQL unique violation on the named constraint (a race the pre-check cannot close). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const driverError = (err as { driverError?: { code?: string; constraint?: string } }).driverError;
  const e = driverError ?? (err as { code?: string; constraint?: string });
  return e.code === '23505' && e.constraint === constraint;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The calendar date (YYYY-MM-DD, UTC) of an instant. */
export const utcDate = (at: Date): string => at.toISOString().slice(0, 10);

/** A UUID argument, lower-cased (ids are compared as PostgreSQL prints them). */
export function parseId(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw new ValidationError([{ field, message: 'must be a UUID' }]);
  return value.toLowerCase();
}
