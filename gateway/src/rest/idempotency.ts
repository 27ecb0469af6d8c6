// Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): a client that did not
// get the answer to a POST sends it again with the same key and gets the first answer, not a
// second claim. Remembered 24 h per (caller, key):
//   same key, same request (method, path and body)  -> the first answer, Idempotent-Replayed: true
//   same key, another request                       -> 422 IDEMPOTENCY.KEY_REUSED
//   same key while the first request still runs     -> 409 IDEMPOTENCY.IN_PROGRESS
// Answers that say nothing about the request itself (401, 403, 429, 5xx) are not remembered: the
// key is released and the client may retry with it.
//
// Where: PostgreSQL when the gateway has a database (RATE_LIMIT_DATABASE_URL, shared by its
// replicas; table gateway_idempotency_keys, created here), this process's memory otherwise.
// The caller's subject is kept as its hash; the remembered answer (its body) lives the 24 h.
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import type { Logger } from '@crm/logging';

export const IDEMPOTENCY_TABLE = 'gateway_idempotency_keys';
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** a first request that has not answered in this time is taken as lost (its process died) */
export const IN_PROGRESS_TIMEOUT_SECONDS = 120;
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Begin =
  | { state: 'new' }
  | { state: 'replay'; answer: StoredAnswer }
  | { state: 'mismatch' }
  | { state: 'in-progress' };

export interface IdempotencyStore {
  readonly kind: 'postgres' | 'memory';
  /** claims (caller, key) for a request with this fingerprint, or says why not */
  begin(caller: string, key: string, fingerprint: string): Promise<Begin>;
  /** remembers the answer for the key's lifetime */
  complete(caller: string, key: string, answer: StoredAnswer): Promise<void>;
  /** forgets the key (the answer is not one to replay) */
  release(caller: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** What a request is, for "same key, same request": its method, path and body. */
export const fingerprintOf = (method: string, path: string, body: string): string =>
  createHash('sha256').update(`${method}\n${path}\n${body}`).digest('base64url');

/** Only answers about the request itself are replayed. */
export const replayable = (status: number): boolean =>
  status < 500 && status !== 401 && status !== 403 && status !== 429;

const callerKey = (caller: string, key: string) =>
  `${createHash('sha256').update(caller).digest('base64url')}:${key}`;

interface MemoryEntry {
  fingerprint: string;
  answer?: StoredAnswer;
  startedAt: number;
  expiresAt: number;
}

export function memoryIdempotencyStore(now: () => number = Date.now, maxEntries = 100_000): IdempotencyStore {
  const entries = new Map<string, MemoryEntry>();
  const sweep = () => {
    const t = now();
    for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
    // still too many: the oldest go first (Map keeps insertion order)
    for (const k of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(k);
    }
  };
  return {
    kind: 'memory',
    begin(caller, key, fingerprint) {
      const k = callerKey(caller, key);
      const t = now();
      const found = entries.get(k);
      const lost = found && !found.answer && t - found.startedAt > IN_PROGRESS_TIMEOUT_SECONDS * 1000;
      if (found && found.expiresAt > t && !lost) {
        if (found.fingerprint !== fingerprint) return Promise.resolve({ state: 'mismatch' });
        if (!found.answer) return Promise.resolve({ state: 'in-progress' });
        return Promise.resolve({ state: 'replay', answer: found.answer });
      }
      entries.delete(k);
      entries.set(k, { fingerprint, startedAt: t, expiresAt: t + IDEMPOTENCY_TTL_SECONDS * 1000 });
      if (entries.size > maxEntries) sweep();
      return Promise.resolve({ state: 'new' });
    },
    complete(caller, key, answer) {
      const e = entries.get(callerKey(caller, key));
      if (e) e.answer = answer;
      return Promise.resolve();
    },
    release(caller, key) {
      entries.delete(callerKey(caller, key));
      return Promise.resolve();
    },
    close() {
      entries.clear();
      return Promise.resolve();
    },
  };
}

export async function postgresIdempotencyStore(url: string, logger: Logger): Promise<IdempotencyStore> {
  const pool = new Pool({
    connectionString: url,
    max: 5,
    connectionTimeoutMillis: 2_000,
    query_timeout: 2_000,
    application_name: 'gateway-idempotency',
  });
  pool.on('error', (err) => logger.warn({ err }, 'idempotency store: connection lost'));
  await pool.query(`
    CREATE TABLE IF NOT EXISTS ${IDEMPOTENCY_TABLE} (
      key TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      status INT,
      headers JSONB,
      body TEXT,
      started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      expires_at TIMESTAMPTZ NOT NULL
    )`);
  await pool.query(
    `CREATE INDEX IF NOT EXISTS ${IDEMPOTENCY_TABLE}_expires ON ${IDEMPOTENCY_TABLE} (expires_at)`,
  );
  let sweptAt = 0;
  const store: IdempotencyStore = {
    kind: 'postgres',
    async begin(caller, key, fingerprint): Promise<Begin> {
      const k = callerKey(caller, key);
      if (Date.now() - sweptAt > 60_000) {
        sweptAt = Date.now();
        await pool.query(`DELETE FROM ${IDEMPOTENCY_TABLE} WHERE expires_at <= now()`);
      }
      // a new key, or one whose 24 h are over, or a first request lost (no answer for minutes)
      const claimed = await pool.query(
        `INSERT INTO ${IDEMPOTENCY_TABLE} (key, fingerprint, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, status = NULL, headers = NULL, body = NULL,
               started_at = now(), expires_at = EXCLUDED.expires_at
           WHERE ${IDEMPOTENCY_TABLE}.expires_at <= now()
              OR (${IDEMPOTENCY_TABLE}.status IS NULL
                  AND ${IDEMPOTENCY_TABLE}.started_at < now() - make_interval(secs => $4))
         RETURNING key`,
        [k, fingerprint, IDEMPOTENCY_TTL_SECONDS, IN_PROGRESS_TIMEOUT_SECONDS],
      );
      if (claimed.rowCount) return { state: 'new' };
      const { rows } = await pool.query<{
        fingerprint: string;
        status: number | null;
        headers: Record<string, string> | null;
        body: string | null;
      }>(`SELECT fingerprint, status, headers, body FROM ${IDEMPOTENCY_TABLE} WHERE key = $1`, [k]);
      const row = rows[0];
      // released between the two statements: take it
      if (!row) return store.begin(caller, key, fingerprint);
      if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (row.status === null) return { state: 'in-progress' };
      return {
        state: 'replay',
        answer: { status: row.status, headers: row.headers ?? {}, body: row.body ?? '' },
      };
    },
    async complete(caller, key, answer) {
      await pool.query(
        `UPDATE ${IDEMPOTENCY_TABLE} SET status = $2, headers = $3, body = $4 WHERE key = $1`,
        [callerKey(caller, key), answer.status, JSON.stringify(answer.headers), answer.body],
      );
    },
    async release(caller, key) {
      await pool.query(`DELETE FROM ${IDEMPOTENCY_TABLE} WHERE key = $1 AND status IS NULL`, [
        callerKey(caller, key),
      ]);
    },
    close: () => pool.end(),
  };
  return store;
}
