// One database's audit chain, checked (npm run audit:verify runs this on each service database).
import pg from 'pg';
import { redactUrl } from '../urls';
import { readAuditChain } from './append';
import { verifyAuditChain, type AuditVerdict } from './chain';

export type DatabaseVerdict = AuditVerdict | { ok: false; missing: string };

/** Reads the whole chain of the database at `url` and checks it; a missing database or table fails. */
export async function verifyAuditDatabase(url: string): Promise<DatabaseVerdict> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '3D000') return { ok: false, missing: 'no such database' };
    throw new Error(`cannot reach PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  try {
    const table = await client.query<{ t: string | null }>(`select to_regclass('audit_log')::text as t`);
    if (!table.rows[0]?.t) return { ok: false, missing: 'no audit_log table (migrations not run)' };
    const rows = await readAuditChain({
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T,
    });
    return verifyAuditChain(rows);
  } finally {
    await client.end();
  }
}
