// Where wrapped data keys live: a table of the service's own database (PgKeyStore, DDL in
// migration.ts), or memory for unit tests. A shredded key leaves a tombstone (no key material,
// the time of the shred) so that no new key is ever made for an erased person.
import type { WrappedKey } from './key-wrapper';

/** Anything that runs SQL with positional parameters: a TypeORM DataSource, EntityManager or QueryRunner. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * A live key as stored; `pending` when the caller's transaction wrote it and has not committed
 * (it may still roll back: such a key is used, never cached).
 */
export type StoredKey = (WrappedKey & { pending?: boolean }) | 'shredded';

export interface KeyStore {
  /** the stored state of each subject that has a row (absent: never had a key) */
  find(subjects: readonly string[], tx?: Sql): Promise<Map<string, StoredKey>>;
  /**
   * stores the key unless the subject already has a row (another writer won the race); in the
   * caller's transaction when given (no second connection while it holds one)
   */
  insertIfAbsent(subject: string, key: WrappedKey, at: Date, tx?: Sql): Promise<void>;
  /** replaces the key with a tombstone; false when there was no live key */
  shred(subject: string, at: Date, tx?: Sql): Promise<boolean>;
  /** live keys wrapped under another master key than `masterKeyId` (rotation) */
  wrappedUnderOther(masterKeyId: string, limit: number): Promise<{ subject: string; key: WrappedKey }[]>;
  /** swaps one wrap for another if the row still holds `from` */
  replace(subject: string, from: WrappedKey, to: WrappedKey): Promise<boolean>;
}

export const PRIVACY_KEYS_TABLE = 'privacy_keys';

interface KeyRow {
  subject_id: string;
  master_key_id: string | null;
  wrapped_key: Buffer | null;
  pending?: boolean;
}

const stored = (row: KeyRow): StoredKey =>
  row.wrapped_key === null || row.master_key_id === null
    ? 'shredded'
    : { masterKeyId: row.master_key_id, wrapped: row.wrapped_key, ...(row.pending ? { pending: true } : {}) };

/** The privacy_keys table through `db`; reads and shreds may run on a caller's transaction. */
export class PgKeyStore implements KeyStore {
  constructor(private readonly db: Sql) {}

  async find(subjects: readonly string[], tx?: Sql): Promise<Map<string, StoredKey>> {
    if (subjects.length === 0) return new Map();
    // pending: the row may be this very transaction's, not committed yet. Its xmin is then the
    // transaction's xid or one of its subtransactions' (a savepoint's), all assigned at or after
    // the transaction's own: xmin at or after it (modulo 2^32, xids wrap) is pending. A row another
    // transaction committed meanwhile with a later xid reads pending too: not cached this time,
    // which only costs a later lookup. Outside a transaction (no xid) nothing is pending.
    const rows = (await (tx ?? this.db).query(
      `select subject_id, master_key_id, wrapped_key,
              coalesce(((xmin::text::bigint - pg_current_xact_id_if_assigned()::text::bigint % 4294967296
                         + 4294967296) % 4294967296) < 2147483648, false) as pending
         from ${PRIVACY_KEYS_TABLE} where subject_id = any($1::varchar[])`,
      [[...subjects]],
    )) as KeyRow[];
    return new Map(rows.map((row) => [row.subject_id, stored(row)]));
  }

  async insertIfAbsent(subject: string, key: WrappedKey, at: Date, tx?: Sql): Promise<void> {
    // in the caller's transaction when given: asking the pool for another connection while the
    // transaction holds one deadlocks a busy pool. The key then reads back pending (never cached)
    await (tx ?? this.db).query(
      `insert into ${PRIVACY_KEYS_TABLE} (subject_id, master_key_id, wrapped_key, created_at)
       values ($1, $2, $3, $4) on conflict (subject_id) do nothing`,
      [subject, key.masterKeyId, key.wrapped, at],
    );
  }

  async shred(subject: string, at: Date, tx?: Sql): Promise<boolean> {
    // a statement whose result is rows whatever the driver does with UPDATE counts
    const rows = (await (tx ?? this.db).query(
      `with shredded as (
         update ${PRIVACY_KEYS_TABLE} set master_key_id = null, wrapped_key = null, shredded_at = $2
         where subject_id = $1 and shredded_at is null returning subject_id)
       select subject_id from shredded`,
      [subject, at],
    )) as unknown[];
    if (rows.length > 0) return true;
    // a subject that never had a key gets its tombstone too: no key may be made for it later
    await (tx ?? this.db).query(
      `insert into ${PRIVACY_KEYS_TABLE} (subject_id, created_at, shredded_at) values ($1, $2, $2)
       on conflict (subject_id) do nothing`,
      [subject, at],
    );
    return false;
  }

  async wrappedUnderOther(
    masterKeyId: string,
    limit: number,
  ): Promise<{ subject: string; key: WrappedKey }[]> {
    const rows = (await this.db.query(
      `select subject_id, master_key_id, wrapped_key from ${PRIVACY_KEYS_TABLE}
       where shredded_at is null and master_key_id <> $1 order by subject_id limit $2`,
      [masterKeyId, limit],
    )) as KeyRow[];
    return rows.map((row) => ({ subject: row.subject_id, key: stored(row) as WrappedKey }));
  }

  async replace(subject: string, from: WrappedKey, to: WrappedKey): Promise<boolean> {
    const rows = (await this.db.query(
      `with swapped as (
         update ${PRIVACY_KEYS_TABLE} set master_key_id = $4, wrapped_key = $5
         where subject_id = $1 and master_key_id = $2 and wrapped_key = $3 returning subject_id)
       select subject_id from swapped`,
      [subject, from.masterKeyId, from.wrapped, to.masterKeyId, to.wrapped],
    )) as unknown[];
    return rows.length > 0;
  }
}

/** The same contract in memory (unit tests, tools). */
export class MemoryKeyStore implements KeyStore {
  readonly rows = new Map<string, StoredKey>();
  /** how many find() calls reached the store (cache tests) */
  finds = 0;

  find(subjects: readonly string[]): Promise<Map<string, StoredKey>> {
    this.finds += 1;
    const found = new Map<string, StoredKey>();
    for (const subject of subjects) {
      const row = this.rows.get(subject);
      if (row !== undefined) found.set(subject, row);
    }
    return Promise.resolve(found);
  }

  insertIfAbsent(subject: string, key: WrappedKey): Promise<void> {
    if (!this.rows.has(subject)) this.rows.set(subject, key);
    return Promise.resolve();
  }

  shred(subject: string): Promise<boolean> {
    const live = this.rows.get(subject);
    this.rows.set(subject, 'shredded');
    return Promise.resolve(live !== undefined && live !== 'shredded');
  }

  wrappedUnderOther(masterKeyId: string, limit: number): Promise<{ subject: string; key: WrappedKey }[]> {
    const out: { subject: string; key: WrappedKey }[] = [];
    for (const [subject, key] of this.rows)
      if (key !== 'shredded' && key.masterKeyId !== masterKeyId && out.length < limit)
        out.push({ subject, key });
    return Promise.resolve(out);
  }

  replace(subject: string, from: WrappedKey, to: WrappedKey): Promise<boolean> {
    const row = this.rows.get(subject);
    if (
      row === undefined ||
      row === 'shredded' ||
      row.masterKeyId !== from.masterKeyId ||
      !row.wrapped.equals(from.wrapped)
    )
      return Promise.resolve(false);
    this.rows.set(subject, to);
    return Promise.resolve(true);
  }
}
