// A production process refuses the development secrets committed to this repository (npm
// start's, docker compose's: they all carry "dev-only"), and says which variable without
// printing it. The gateway and a subgraph service, each started as its own process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function start(entry: string, env: Record<string, string>) {
  const { NODE_ENV: _, ...inherited } = process.env;
  return spawnSync(tsx, ['--conditions=source', entry], {
    cwd: root,
    env: { ...inherited, LOG_LEVEL: 'silent', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const DEV_INTERNAL = 'dev-only-internal-token-secret-0123456789';
const DEV_JWT = 'dev-only-jwt-secret-change-me-0123456789';

it('the gateway exits 78 in production with committed development secrets, naming them', () => {
  const r = start('gateway/src/main.ts', {
    NODE_ENV: 'production',
    INTERNAL_TOKEN_SECRET: DEV_INTERNAL,
    JWT_SECRET: DEV_JWT,
  });
  expect(r.status).toBe(78);
  expect(r.stderr).toMatch(/INTERNAL_TOKEN_SECRET: is a development secret/);
  expect(r.stderr).toMatch(/JWT_SECRET: is a development secret/);
  expect(r.stderr).not.toContain(DEV_INTERNAL);
});

it('a subgraph service exits 78 in production with a development database password', () => {
  const r = start('services/identity/src/main.ts', {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://identity:crm-dev-only@127.0.0.1:1/identity',
    INTERNAL_TOKEN_SECRET: 'p'.repeat(40),
  });
  expect(r.status).toBe(78);
  expect(r.stderr).toMatch(/DATABASE_URL: is a development secret/);
  expect(r.stderr).not.toContain('crm-dev-only');
});
