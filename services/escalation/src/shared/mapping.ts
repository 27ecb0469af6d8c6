// What the mappings of both features share (advisor.mapping.ts, escalation.mapping.ts).
import { escalationError } from '../errors';

/** A value outside a table: only a table edited by hand gets there (CHECK constraints). */
export const corrupt = (column: string) => (value: string) =>
  escalationError('ESCALATION.CORRUPT_ROW', `unknown ${column} "${value}"`);

/** A view as its entity holds it: the enumerated column `S` still in the database's words. */
export type WithStatus<T, S extends string = 'status'> = Omit<T, S> & Record<S, string>;
