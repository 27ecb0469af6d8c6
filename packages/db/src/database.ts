import pg from 'pg';
import { assertIdentifier, databaseName, redactUrl, withDatabase } from './urls';

/**
 * Creates the database named in `url` when it does not exist, connecting to the server's
 * `postgres` maintenance database. Safe to run concurrently (a lost race is not an error).
 */
export async function ensureDatabase(url: string): Promise<{ created: boolean }> {
  const name = assertIdentifier(databaseName(url));
  const admin = new pg.Client({
    connectionString: withDatabase(url, 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  await admin.connect().catch((err: Error) => {
    throw new Error(`cannot reach PostgreSQL at ${redactUrl(url)}: ${err.message}`);
  });
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return { created: false };
    try {
      await admin.query(`create database "${name}"`);
      return { created: true };
    } catch (err) {
      // 42P04 duplicate_database, 23505 unique_violation: another process created it first
      const code = (err as { code?: string }).code;
      if (code === '42P04' || code === '23505') return { created: false };
      throw err;
    }
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = assertIdentifier(databaseName(url));
  const admin = new pg.Client({
    connectionString: withDatabase(url, 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
