#!/usr/bin/env node
// npm run codegen: the types graphql-codegen derives from each subgraph's SDL and from its
// tests' graphql(`...`) documents (codegen.ts), formatted. They are build output, not source:
// git-ignored (so neither linted nor formatted), written by `npm install` (prepare) and again
// by `npm test` before the typecheck, so they can never be stale against the SDL they come
// from. About 3 s.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const r = spawnSync(join(root, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.ts'], {
  cwd: root,
  encoding: 'utf8',
});
if (r.status !== 0) {
  process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  process.exit(r.status || 1);
}
