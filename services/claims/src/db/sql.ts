/** Collects positional parameters ($1, $2...) while a query's text is built. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Sort key of a TIMESTAMP column as text with microseconds: a JS Date keeps milliseconds
 * only, and a keyset cursor rounded down would repeat or skip rows created in the same ms.
 */
export const timestampKey = (column: string): string => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
