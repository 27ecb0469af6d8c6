import { createDataSource, dropDatabase, ensureDatabase, withDatabase } from '@crm/db';
import { integrationEnv } from './env';
import { randomSuffix } from './ids';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: crm_test_<run>_<label>_<random>.
 * tools/test.mjs sweeps any that a crashed file leaves behind.
 */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const { pgAdminUrl, runId } = integrationEnv();
  const name = `crm_test_${runId}_${label}_${randomSuffix()}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  const url = withDatabase(pgAdminUrl, name);
  await ensureDatabase(url);
  return { name, url, drop: () => dropDatabase(url) };
}

/** Refuses to touch a database whose name does not say it is a test database. */
export function assertTestDatabase(name: string): void {
  if (!name.includes('test'))
    throw new Error(`refusing to run destructive test code against database "${name}"`);
}

/** @crm/db's data source (typeorm's DataSource) */
type DataSource = ReturnType<typeof createDataSource>;
type Settings = Parameters<typeof createDataSource>[0];

/** A migration as services list them: a class (its name is the migration's name). */
type MigrationClass = abstract new () => unknown;

/**
 * A migration's test on a database as it was before it: `db` gets every migration listed before
 * the one named `name`, then `seed` writes the rows of that time (in clear SQL, as they were);
 * then every migration runs, and `check` gets the data source (with `entities`) of the migrated
 * database. Closes what it opened; a database given is the caller's, one given by its label is
 * made for the test and dropped after it.
 */
export async function migrateFrom(
  target: TestDatabase | string,
  options: {
    /** the service's migrations and entities: its ServiceDefinition, or lists of the test's own */
    of: { migrations?: Settings['migrations']; entities?: Settings['entities'] };
    /** the migration under test: the database is seeded as it was before it */
    name: string;
    seed: (before: DataSource) => Promise<void>;
    check: (after: DataSource) => Promise<void>;
  },
): Promise<void> {
  if (typeof target === 'string') {
    const own = await createTestDatabase(target);
    try {
      return await migrateFrom(own, options);
    } finally {
      await own.drop();
    }
  }
  const db = target;
  const migrations = (options.of.migrations ?? []) as MigrationClass[];
  const index = migrations.findIndex((m) => m.name === options.name);
  if (index <= 0) throw new Error(`no migration named ${options.name} after another in the list`);
  const before = createDataSource({
    url: db.url,
    applicationName: 'test',
    migrations: migrations.slice(0, index),
  });
  await before.initialize();
  try {
    await before.runMigrations();
    await options.seed(before);
  } finally {
    await before.destroy();
  }
  const after = createDataSource({
    url: db.url,
    applicationName: 'test',
    migrations,
    entities: options.of.entities,
  });
  await after.initialize();
  try {
    await after.runMigrations({ transaction: 'each' });
    await options.check(after);
  } finally {
    await after.destroy();
  }
}

type Sql = <T>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * Every row of every table of a database as JSON text, one line per row, table by table
 * (`except`: tables left out): what a dump would hold, for the scans that look for personal
 * data in clear.
 */
export async function tableRows(sql: Sql, except: readonly string[] = []): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and not (table_name = any($1::text[]))
      order by table_name`,
    [[...except]],
  );
  const text = new Map<string, string>();
  for (const { name } of tables) {
    const [row] = await sql<{ text: string | null }>(
      `select string_agg(row_to_json(t)::text, E'\\n') as text from "${name}" t`,
    );
    text.set(name, row?.text ?? '');
  }
  return text;
}

/** tableRows, lower-cased: a canary is looked for whatever its case. */
export async function tablesText(sql: Sql, except: readonly string[] = []): Promise<Map<string, string>> {
  const rows = await tableRows(sql, except);
  return new Map([...rows].map(([table, text]) => [table, text.toLowerCase()]));
}
