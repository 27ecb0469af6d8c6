// npm run audit:verify against real PostgreSQL: a database of its own per test, five records
// appended through appendAudit, then the log tampered with as someone with the owner's rights
// would (the append-only trigger disabled first), and the command run as a process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { appendAudit, AuditLogMigration, openDatabase, withDatabase, type AuditRecord } from '@crm/db';
import { createTestDatabase, integrationEnv, randomSuffix, type TestDatabase } from '@crm/testing';

class AuditLog1700000000000 extends AuditLogMigration {
  name = 'AuditLog1700000000000';
}

const T0 = Date.UTC(2030, 0, 1);

function record(i: number): AuditRecord {
  return {
    at: new Date(T0 + i * 1000),
    principal: `advisor-${randomSuffix()}`,
    roles: ['advisor'],
    operation: 'Mutation.updateClaim',
    operationName: 'UpdateClaim',
    entityType: 'Claim',
    entityId: `claim-${i}`,
    outcome: 'ok',
    changes: { description: { old: 'avant', new: `après ${i}` } },
    correlationId: `corr-${randomSuffix()}`,
  };
}

async function auditVerify(
  ...databases: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', join(__dirname, 'verify.ts'), ...databases],
    { env: { ...process.env, DATABASE_URL: withDatabase(integrationEnv().pgAdminUrl, 'postgres') } },
  ).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

describe('npm run audit:verify (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeEach(async () => {
    db = await createTestDatabase('audit');
    ds = await openDatabase({
      url: db.url,
      applicationName: 'audit-test',
      migrations: [AuditLog1700000000000],
    });
    // concurrent appends: the advisory lock makes them one gap-free chain
    await Promise.all([1, 2, 3, 4, 5].map((i) => appendAudit(ds.manager, record(i))));
  });
  afterEach(async () => {
    await ds.destroy();
    await db.drop();
  });

  /** tampering as the database owner: the append-only trigger is no obstacle to him */
  const tamper = async (...statements: string[]) => {
    await ds.transaction(async (tx) => {
      await tx.query('alter table audit_log disable trigger audit_log_append_only');
      for (const sql of statements) await tx.query(sql);
      await tx.query('alter table audit_log enable trigger audit_log_append_only');
    });
  };

  it('passes an untouched log: one line per database, exit 0', async () => {
    const rows = await ds.query<{ seq: string }[]>('select seq from audit_log order by seq');
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    const result = await auditVerify(db.name);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^${db.name}: ok, 5 records, last 5 [0-9a-f]{64}\\n$`));
  });

  it('names an edited record', async () => {
    await tamper(`update audit_log set outcome = 'FORBIDDEN' where seq = 3`);
    const result = await auditVerify(db.name);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${db.name}: FAILED at record 3 (edited)`);
  });

  it('names a deleted record', async () => {
    await tamper('delete from audit_log where seq = 2');
    const result = await auditVerify(db.name);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${db.name}: FAILED at record 2 (removed): record 2 is missing`);
  });

  it('names two swapped records', async () => {
    await tamper(
      'update audit_log set seq = 1000 where seq = 3',
      'update audit_log set seq = 3 where seq = 4',
      'update audit_log set seq = 4 where seq = 1000',
    );
    const result = await auditVerify(db.name);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${db.name}: FAILED at record 3 (reordered)`);
  });

  it('refuses changes from the application (append-only) and keeps the chain when the caller rolls back', async () => {
    await expect(ds.query(`update audit_log set outcome = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(ds.query('delete from audit_log')).rejects.toThrow(/append-only/);
    await expect(
      ds.transaction(async (tx) => {
        await appendAudit(tx, record(6));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [row] = await appendAudit(ds.manager, record(7));
    expect(row!.seq).toBe(6); // the rolled-back record left no gap
    expect((await auditVerify(db.name)).stdout).toContain('ok, 6 records');
  });

  it('fails a database without an audit log', async () => {
    const result = await auditVerify(db.name, `${db.name}_absent`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${db.name}: ok`);
    expect(result.stderr).toContain(`${db.name}_absent: FAILED, no such database`);
  });
});
