// Smoke test of the PostgreSQL plumbing: a per-test database, a TypeORM migration, a query.
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import pg from 'pg';
import { createTestDatabase, integrationEnv, randomSuffix, waitFor, type TestDatabase } from '@crm/testing';
import { createDataSource, ensureDatabase, openDatabase } from './index';

class CreateProbe1700000000000 implements MigrationInterface {
  name = 'CreateProbe1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table probe (id serial primary key, label text not null check (label <> ''))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table probe');
  }
}

describe('TypeORM data source (real PostgreSQL)', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('smoke');
    admin = new pg.Client({ connectionString: integrationEnv().pgAdminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  it('runs a migration and a query in its own database', async () => {
    const statements: string[] = [];
    const ds = await openDatabase({
      url: db.url,
      applicationName: 'smoke-test',
      migrations: [CreateProbe1700000000000],
      onQuery: (sql) => statements.push(sql),
    });
    try {
      await ds.query('insert into probe (label) values ($1), ($2)', ['a', 'b']);
      const rows: { label: string }[] = await ds.query('select label from probe order by id');
      expect(rows.map((r) => r.label)).toEqual(['a', 'b']);
      await expect(ds.query(`insert into probe (label) values ('')`)).rejects.toThrow(/check constraint/);
      const applied: { name: string }[] = await ds.query('select name from typeorm_migrations');
      expect(applied.map((m) => m.name)).toEqual(['CreateProbe1700000000000']);
      expect(statements.some((s) => s.startsWith('insert into probe'))).toBe(true);
    } finally {
      await ds.destroy();
    }
  });

  it('closes a pooled connection once it has been idle for idleTimeoutMs', async () => {
    const name = `idle-probe-${randomSuffix()}`;
    const open = async () =>
      (
        await admin.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where application_name = $1',
          [name],
        )
      ).rows[0]!.n;
    const ds = await openDatabase({ url: db.url, applicationName: name, idleTimeoutMs: 200 });
    try {
      await Promise.all([ds.query('select pg_sleep(0.05)'), ds.query('select pg_sleep(0.05)')]);
      expect(await open()).toBe(2);
      // the default (30 s) would keep both open for the whole test
      await waitFor('the idle connections closed', async () => ((await open()) === 0 ? true : undefined), {
        timeoutMs: 10_000,
      });
    } finally {
      await ds.destroy();
    }
  });

  it('is idempotent: a second open applies nothing and ensureDatabase finds the database', async () => {
    await expect(ensureDatabase(db.url)).resolves.toEqual({ created: false });
    const ds = createDataSource({
      url: db.url,
      applicationName: 'smoke-test',
      migrations: [CreateProbe1700000000000],
    });
    await ds.initialize();
    try {
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
    }
  });
});
