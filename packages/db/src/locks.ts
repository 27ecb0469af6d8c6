// Transaction-scoped advisory locks named by text: what serializes work on something that has
// no row to lock yet (a reserved id, a client's erasure against an opening, a chain's append).
// One hash (hashtextextended, 64 bits) for every caller, so two callers naming the same key take
// the same lock; the key carries its own namespace ("clients:<id>", "sinistres:<id>").

/** Anything that runs one statement: a TypeORM EntityManager, a QueryRunner, a DataSource. */
export interface LockQuery {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Holds the advisory lock named `key` until the caller's transaction ends (waits for it). */
export async function lockKey(tx: LockQuery, key: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
}
