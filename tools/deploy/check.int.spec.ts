// `npm run deploy:check` end to end, as CI runs it: the repository's own docker-compose.yml,
// deploy/ and k8s/ must pass, and a copy of them with one misspelt field must fail.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// each run loads every workload's env.ts and the event catalog through tsx: seconds, not ms
const RUN_TIMEOUT = 120_000;

function deployCheck(...args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'check.mjs'), ...args], { cwd: root });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

describe('npm run deploy:check', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'deploy-check-'));
    for (const entry of ['docker-compose.yml', 'deploy', 'k8s'])
      if (existsSync(join(root, entry))) cpSync(join(root, entry), join(copy, entry), { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it(
    'passes on the repository',
    async () => {
      const { status, output } = await deployCheck();
      expect(output).toMatch(/\[deploy:check\] OK/);
      expect(output).toMatch(/k8s\/overlays\/prod: \d+ resources rendered/);
      expect(status).toBe(0);
    },
    RUN_TIMEOUT,
  );

  it(
    'fails on a manifest with a misspelt field',
    async () => {
      const file = join(copy, 'k8s', 'base', 'claims', 'deployment.yaml');
      const original = readFileSync(file, 'utf8');
      expect(original).toContain('livenessProbe:');
      writeFileSync(file, original.replace('livenessProbe:', 'livenesProbe:'));
      const { status, output } = await deployCheck('--files-root', copy);
      expect(output).toContain('DEPLOY.K8S_SCHEMA');
      expect(output).toContain('unknown field "livenesProbe"');
      expect(status).toBe(1);
    },
    RUN_TIMEOUT,
  );
});
