// `node tools/new-workspace.mjs --service` copies the skeleton (itself compiled and tested:
// tools/skeleton/service/src/widget/widget.int.spec.ts) under the new names, leaving none of
// the sample's behind, with paths that reach the repository's root from where it lands.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'tools', 'new-workspace.mjs'), '--service', ...args], {
    cwd: root,
    encoding: 'utf8',
  });

function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
  );
}

const scratch = join('.cache', `skeleton-${randomBytes(4).toString('hex')}`);
afterAll(() => rmSync(join(root, scratch), { recursive: true, force: true }));

it('writes every skeleton file under the new names, with nothing of the sample left', () => {
  const dir = join(scratch, 'services', 'parcels');
  const r = run(dir, 'parcels', '4006', 'parcel');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);

  const skeleton = files(join(root, 'tools', 'skeleton', 'service')).filter((f) => !f.includes('generated'));
  const copied = files(join(root, dir));
  expect(copied.sort()).toEqual(
    skeleton.map((f) => f.replace(/widget/gi, (w) => (w[0] === 'W' ? 'Parcel' : 'parcel'))).sort(),
  );
  expect(copied).toContain(join('src', 'parcel', 'parcel.resolvers.ts'));
  for (const f of copied) {
    const text = readFileSync(join(root, dir, f), 'utf8');
    expect({ f, leftovers: text.match(/widget|sample|4999/gi) }).toEqual({ f, leftovers: null });
  }
  const service = readFileSync(join(root, dir, 'src', 'service.ts'), 'utf8');
  expect(service).toContain("name: 'parcels'");
  expect(readFileSync(join(root, dir, 'src', 'env.ts'), 'utf8')).toContain('subgraphServiceEnv(4006)');

  const tsconfig = JSON.parse(readFileSync(join(root, dir, 'tsconfig.json'), 'utf8')) as {
    extends: string;
    references: { path: string }[];
  };
  expect(existsSync(join(root, dir, tsconfig.extends))).toBe(true);
  for (const ref of tsconfig.references)
    expect(existsSync(join(root, dir, ref.path, 'package.json'))).toBe(true);
});

it('refuses a name that is not one lower-case word, a bad port and an existing folder', () => {
  expect(run(join(scratch, 'a'), 'Parcel-Service', '4006', 'parcel').stderr).toMatch(/one lower-case word/);
  expect(run(join(scratch, 'b'), 'parcels', '80', 'parcel').stderr).toMatch(/port must be/);
  expect(run('services/claims', 'claims', '4006', 'claim').stderr).toMatch(/already exists/);
  expect(existsSync(join(root, scratch, 'a'))).toBe(false);
});
