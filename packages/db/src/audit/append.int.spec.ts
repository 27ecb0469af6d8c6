// The audit chain's append on the real PostgreSQL: what is stored is what was hashed, whatever
// the text a caller sent; records are numbered in order past 9 and across data sources appending
// at once; an append in the caller's transaction commits and rolls back with it; a refused append
// leaves the chain and the pooled connection as they were; two messages per append.
import { createTestDatabase, randomSuffix, type TestDatabase } from '@crm/testing';
import { type DataSource } from 'typeorm';
import { openDatabase } from '../data-source';
import { appendAudit, readAuditChain, storable, type AuditRecord } from './append';
import { verifyAuditChain } from './chain';
import { AuditLogMigration } from './migration';

jest.setTimeout(60_000);

class CreateAuditLog1700000000001 extends AuditLogMigration {
  name = 'CreateAuditLog1700000000001';
}

let db: TestDatabase;
let ds: DataSource;
const statements: string[] = [];

const open = (poolSize = 4): Promise<DataSource> =>
  openDatabase({
    url: db.url,
    applicationName: 'audit-append',
    migrations: [CreateAuditLog1700000000001],
    poolSize,
    onQuery: (sql) => statements.push(sql),
  });

beforeAll(async () => {
  db = await createTestDatabase('audit_append');
  ds = await open();
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

let at = Date.UTC(2026, 2, 1, 9, 0, 0);
const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  at: new Date((at += 1000)),
  principal: `advisor-${randomSuffix()}`,
  roles: ['advisor'],
  operation: 'Mutation.updateClient',
  operationName: 'UpdateClient',
  entityType: 'Client',
  entityId: randomSuffix(),
  outcome: 'ok',
  changes: { city: { old: 'Lyon', new: 'Paris' } },
  correlationId: randomSuffix(),
  ...overrides,
});

const chain = async () => readAuditChain(ds);

describe('appendAudit (real PostgreSQL)', () => {
  it('stores what it hashes, whatever the text: quotes, backslashes, NUL, lone surrogates, emoji at the cut', async () => {
    const awkward = record({
      principal: `O'Brien \\ "x" \u0000 é—😀`,
      roles: [],
      operationName: null,
      entityType: null,
      entityId: `${'a'.repeat(199)}😀`,
      outcome: `E'\\x00' \ud800 ''`,
      changes: { "l'adresse\\": { old: "1 rue d'Alsace", new: 'C:\\temp\\' } },
      correlationId: '$1 $$ -- ;',
    });
    const plain = record({ roles: ['advisor', "super'visor"], changes: null });
    const written = await appendAudit(ds.manager, awkward, plain);
    const stored = await chain();
    expect(stored.slice(-2)).toEqual(written);
    expect(verifyAuditChain(stored)).toMatchObject({ ok: true });
    expect(written[0]).toMatchObject({
      principal: `O'Brien \\ "x" \uFFFD é—😀`,
      roles: [],
      entityId: 'a'.repeat(199),
      outcome: `E'\\x00' \uFFFD ''`,
      correlationId: '$1 $$ -- ;',
    });
    expect(written[1]!.roles).toEqual(['advisor', "super'visor"]);
  });

  it('cuts a value to its column without splitting a pair, and keeps clean text as it is', () => {
    expect(storable('plain text', 200)).toBe('plain text');
    expect(storable(`${'b'.repeat(9)}😀`, 10)).toBe('b'.repeat(9));
    expect(storable(`${'b'.repeat(8)}😀`, 10)).toBe(`${'b'.repeat(8)}😀`);
    expect(storable('\udc00x\u0000')).toBe('\uFFFDx\uFFFD');
  });

  it('numbers records in order past 9, with two data sources appending at once', async () => {
    const other = await open();
    try {
      const before = (await chain()).length;
      await Promise.all(
        Array.from({ length: 12 }, (_v, i) => appendAudit((i % 2 ? other : ds).manager, record(), record())),
      );
      const stored = await chain();
      expect(stored.map((r) => r.seq)).toEqual(stored.map((_r, i) => i + 1));
      expect(stored.length).toBe(before + 24);
      expect(verifyAuditChain(stored)).toMatchObject({ ok: true, records: before + 24 });
    } finally {
      await other.destroy();
    }
  });

  it("commits with the caller's transaction and is gone with its rollback", async () => {
    const kept = record();
    await ds.transaction((tx) => appendAudit(tx, kept));
    const dropped = record();
    await expect(
      ds.transaction(async (tx) => {
        await appendAudit(tx, dropped);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const ids = (await chain()).map((r) => r.correlationId);
    expect(ids).toContain(kept.correlationId);
    expect(ids).not.toContain(dropped.correlationId);
    expect(verifyAuditChain(await chain())).toMatchObject({ ok: true });
  });

  it('leaves the chain and its one pooled connection as they were when an append is refused', async () => {
    const single = await open(1);
    await single.query(`
      create or replace function audit_refuse() returns trigger language plpgsql as $$
      begin
        if new.principal = 'refused' then raise exception 'refused by the test'; end if;
        return new;
      end $$`);
    await single.query(
      `create trigger audit_refuse before insert on audit_log for each row execute function audit_refuse()`,
    );
    try {
      const before = await chain();
      await expect(appendAudit(single.manager, record(), record({ principal: 'refused' }))).rejects.toThrow(
        'refused by the test',
      );
      expect(await chain()).toEqual(before);
      // the same connection (pool of one) appends next: no transaction was left open or aborted
      const next = await appendAudit(single.manager, record());
      expect(next[0]!.seq).toBe(before.length + 1);
      expect(verifyAuditChain(await chain())).toMatchObject({ ok: true });
    } finally {
      await single.query('drop trigger audit_refuse on audit_log');
      await single.destroy();
    }
  });

  it('sends two messages per append, whatever the number of records', async () => {
    statements.length = 0;
    await appendAudit(ds.manager, ...Array.from({ length: 25 }, () => record()));
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^begin; select pg_advisory_xact_lock/);
    expect(statements[1]).toMatch(/^insert into audit_log [\s\S]*; commit$/);
  });
});
