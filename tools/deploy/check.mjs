#!/usr/bin/env node
// `npm run deploy:check`: validates docker-compose.yml, the Dockerfile and every Kubernetes
// manifest (k8s/base and each rendered overlay) against their schemas, and checks that every
// variable each service's env.ts declares is set in compose and in Kubernetes. The checks are
// TypeScript (check.cli.ts, core.ts) and need the workspaces' sources, hence tsx with the
// "source" export condition. Arguments are passed through (--verbose).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'tsx'),
  ['--conditions=source', join(here, 'check.cli.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
if (result.error) {
  console.error(`[deploy:check] cannot run tsx: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status ?? 1);
