#!/usr/bin/env node
// `npm run start:prod`: the system of `npm start` (tools/start/start.ts, same output, same
// readiness) as production runs it: compiled JavaScript under plain node, no tsx and no
// "source" export condition, so that every workspace resolves to its dist/ through its package
// exports. Builds first (npm run build: tsc -b is incremental, about a second when nothing
// changed), then runs the compiled start in this very process, so that Ctrl-C and SIGTERM reach
// it directly.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const t0 = Date.now();
const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}npm run start:prod: the build failed\n`);
  process.exit(1);
}
process.stdout.write(
  `Build: compiled JavaScript ready, npm run build (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
);
await import(join(here, 'dist', 'start.js'));
