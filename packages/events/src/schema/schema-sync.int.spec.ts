// The JSON Schemas are the source of truth; the committed TypeScript module is derived from
// them. Regenerating must give the committed file byte for byte, so they cannot disagree.
// (The generator runs in a child process: prettier's ESM loading does not work inside jest.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(60_000);

const repo = resolve(__dirname, '..', '..', '..', '..');
const generated = resolve(__dirname, '..', 'generated', 'schemas.generated.ts');
const runCheck = (file = generated) =>
  spawnSync(
    join(repo, 'node_modules', '.bin', 'tsx'),
    ['--conditions=source', 'packages/events/src/cli/generate-schemas.cli.ts', '--check', file],
    { cwd: repo, encoding: 'utf8' },
  );

describe('schemas/events and the generated TypeScript types', () => {
  it('agree: regenerating the module changes nothing', () => {
    const run = runCheck();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the check fails when the committed file drifts from the schemas', () => {
    const dir = mkdtempSync(join(tmpdir(), 'events-gen-'));
    const drifted = join(dir, 'schemas.generated.ts');
    try {
      const committed = readFileSync(generated, 'utf8');
      expect(committed).toContain('claimNumber: string;');
      writeFileSync(drifted, committed.replace('claimNumber: string;', 'claimNumber: number;'));
      const run = runCheck(drifted);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/is stale/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
