// npm run audit:verify [-- <database>...]   checks the hash chain of each service database's
// audit log (docs/security.md, Audit log): one line per database, exit 1 naming the first bad
// record of each broken chain, 2 when PostgreSQL cannot be reached.
//
// The server is DATABASE_URL's (as for npm start), else npm start's embedded one
// (127.0.0.1:EMBEDDED_PG_PORT, 54320); the databases are npm start's crm_<service>, unless named.
import { redactUrl, verifyAuditDatabase, withDatabase } from '@crm/db';

export const SERVICE_DATABASES = ['identity', 'claims', 'conversation', 'reimbursement', 'escalation'].map(
  (s) => `crm_${s}`,
);

export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT ?? '54320'}/postgres`
  );
}

/** One line per database; ok is false when any chain is broken or missing. */
export async function verifyDatabases(
  server: string,
  databases: readonly string[],
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const name of databases) {
    const verdict = await verifyAuditDatabase(withDatabase(server, name));
    if (verdict.ok) {
      lines.push(`${name}: ok, ${verdict.records} records, last ${verdict.lastSeq} ${verdict.lastHash}`);
      continue;
    }
    ok = false;
    lines.push(
      'missing' in verdict
        ? `${name}: FAILED, ${verdict.missing}`
        : `${name}: FAILED at record ${verdict.seq} (${verdict.problem}): ${verdict.reason}`,
    );
  }
  return { ok, lines };
}

if (require.main === module) {
  const named = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const server = serverUrl();
  verifyDatabases(server, named.length ? named : SERVICE_DATABASES).then(
    ({ ok, lines }) => {
      for (const line of lines) (line.includes(': FAILED') ? console.error : console.log)(line);
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      console.error(
        `audit:verify (${redactUrl(server)}): ${err instanceof Error ? err.message : String(err)}`,
      );
      process.exit(2);
    },
  );
}
