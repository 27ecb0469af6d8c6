import { dropDatabase, ensureDatabase, withDatabase } from '@crm/db';
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
