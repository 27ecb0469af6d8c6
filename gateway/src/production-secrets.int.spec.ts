// A production process refuses the development secrets committed to this repository (npm
// start's, docker compose's: they all carry "dev-only"), and says which variable without
// printing it. The gateway and a subgraph service, each started as its own process.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateInternalKeys } from '@crm/auth';

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

/** a variable as docker compose's committed environment file gives it */
function committed(file: string, name: string): string {
  const line = readFileSync(join(root, 'deploy', 'env', file), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`${name} is not in deploy/env/${file}`);
  return line.slice(name.length + 1);
}

describe('OWASP API8 security misconfiguration: production refuses development secrets', () => {
  it('the gateway exits 78 in production with committed development secrets, naming them', () => {
    const devKey = committed('gateway.env', 'INTERNAL_TOKEN_PRIVATE_KEY');
    const r = start('gateway/src/main.ts', {
      NODE_ENV: 'production',
      INTERNAL_TOKEN_PRIVATE_KEY: devKey,
      JWT_SECRET: committed('gateway.env', 'JWT_SECRET'),
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/INTERNAL_TOKEN_PRIVATE_KEY: is a development secret/);
    expect(r.stderr).toMatch(/JWT_SECRET: is a development secret/);
    expect(r.stderr).not.toContain(devKey.slice(40, 80)); // no part of the key itself
  });

  it('a subgraph service exits 78 in production with the development key or database password', () => {
    const r = start('services/identity/src/main.ts', {
      NODE_ENV: 'production',
      DATABASE_URL: committed('identity.env', 'DATABASE_URL').replace('@postgres:5432', '@127.0.0.1:1'),
      INTERNAL_TOKEN_PUBLIC_KEY: committed('identity.env', 'INTERNAL_TOKEN_PUBLIC_KEY'),
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/DATABASE_URL: is a development secret/);
    // trusting the committed public key would trust whoever holds the committed private key
    expect(r.stderr).toMatch(/INTERNAL_TOKEN_PUBLIC_KEY: is a development secret/);
    expect(r.stderr).not.toContain('crm-dev-only');
  });

  it.each(['identity', 'conversation', 'claims', 'escalation', 'reimbursement'])(
    "%s exits 78 in production without the personal data's master key, or with compose's, without printing it",
    (service) => {
      const base = {
        NODE_ENV: 'production',
        DATABASE_URL: `postgres://${service}@127.0.0.1:1/${service}`,
        INTERNAL_TOKEN_PUBLIC_KEY: generateInternalKeys().publicKey,
      };
      const none = start(`services/${service}/src/main.ts`, base);
      expect(none.status).toBe(78);
      expect(none.stderr).toMatch(/PRIVACY_MASTER_KEY or PRIVACY_MASTER_KEY_FILE: required in production/);

      const devRing = committed(`${service}.env`, 'PRIVACY_MASTER_KEY');
      const dev = start(`services/${service}/src/main.ts`, { ...base, PRIVACY_MASTER_KEY: devRing });
      expect(dev.status).toBe(78);
      expect(dev.stderr).toMatch(/PRIVACY_MASTER_KEY: is a development secret/);
      expect(dev.stderr).not.toContain(devRing.slice(devRing.indexOf(':') + 1));
    },
  );

  it.each(['identity', 'claims', 'conversation', 'reimbursement', 'escalation'])(
    '%s exits 78 in production without the event keys secret, or with compose’s, without printing it',
    (service) => {
      const base = {
        NODE_ENV: 'production',
        DATABASE_URL: `postgres://${service}@127.0.0.1:1/${service}`,
        INTERNAL_TOKEN_PUBLIC_KEY: generateInternalKeys().publicKey,
        PRIVACY_MASTER_KEY: `k1:${randomBytes(32).toString('base64')}`,
      };
      const none = start(`services/${service}/src/main.ts`, base);
      expect(none.status).toBe(78);
      expect(none.stderr).toMatch(/PRIVACY_EVENT_KEYS_SECRET: required in production/);

      const devSecret = committed(`${service}.env`, 'PRIVACY_EVENT_KEYS_SECRET');
      const dev = start(`services/${service}/src/main.ts`, { ...base, PRIVACY_EVENT_KEYS_SECRET: devSecret });
      expect(dev.status).toBe(78);
      expect(dev.stderr).toMatch(/PRIVACY_EVENT_KEYS_SECRET: is a development secret/);
      expect(dev.stderr).not.toContain(devSecret.slice(devSecret.indexOf(':') + 1));
    },
  );

  it('a subgraph refuses a key that is not an Ed25519 public key, without printing it', () => {
    const r = start('services/identity/src/main.ts', {
      DATABASE_URL: 'postgres://identity@127.0.0.1:1/identity',
      // the private key where the public one belongs: an easy mistake, and a leak if printed
      INTERNAL_TOKEN_PUBLIC_KEY: generateInternalKeys().privateKey,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(
      /INTERNAL_TOKEN_PUBLIC_KEY=\(secret, \d+ characters\): must be the gateway's Ed25519 public key/,
    );
    expect(r.stderr).not.toContain('BEGIN PRIVATE KEY');
  });
});
