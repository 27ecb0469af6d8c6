import { createConnection } from 'node:net';
import pg from 'pg';

export function tcpAnswers(hostPort: string, timeoutMs = 2000): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function postgresError(url: string, timeoutMs = 3000): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs one statement and answers its rows (a harness's `sql`, or a pg client adapted). */
export type SqlRows = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface LockWaitFilter {
  /** pg_stat_activity.wait_event: advisory, relation, tuple, transactionid... (any of them) */
  events?: readonly string[];
  /** a case-insensitive POSIX regular expression the waiting statement matches */
  query?: string;
  /** the waiting session's application_name */
  application?: string;
}

/**
 * Sessions of the current database waiting on a lock (race tests place a statement behind a
 * lock the test holds, then act). Run it outside a transaction: pg_stat_activity is read once
 * per transaction and would not move inside one.
 */
export async function lockWaiters(sql: SqlRows, filter: LockWaitFilter = {}): Promise<number> {
  const [row] = await sql(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'
        AND ($1::text[] IS NULL OR wait_event = ANY($1::text[]))
        AND ($2::text IS NULL OR query ~* $2)
        AND ($3::text IS NULL OR application_name = $3)`,
    [filter.events ?? null, filter.query ?? null, filter.application ?? null],
  );
  return Number(row?.n ?? 0);
}
