#!/usr/bin/env node
// Creates the skeleton of a workspace so every package has the same shape:
//   node tools/new-workspace.mjs packages/events @crm/events "description" [dep ...]
// or of a whole domain service, copied from tools/skeleton/service (compiled, linted and
// tested with the others, so the copy starts green):
//   node tools/new-workspace.mjs --service services/parcels parcels 4006 parcel
// package.json "exports" resolves to src/*.ts under the "source" condition (typecheck, jest,
// tsx in development) and to dist/*.js otherwise (production builds: npm run build).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './kafka/broker.mjs';
import { copyServiceSkeleton } from './skeleton/copy.mjs';

if (process.argv[2] === '--service') {
  const [dir, name, port, feature] = process.argv.slice(3);
  try {
    const files = copyServiceSkeleton({ target: join(repoRoot, dir ?? ''), name, port, feature });
    console.log(`service ${name} in ${dir}: ${files.length} files. Then:
  npm install                      links the workspace
  npm run codegen                  its resolver and test types
  tools/errors/error-table.ts      add its error catalog (docs/graph.md's table)
  tools/supergraph, tools/start, gateway, k8s/, docker-compose.yml   add the subgraph where the five are listed
                                   (tools/start/system.ts and tools/start/tsconfig.build.json: by its package
                                   exports, ./env and ./service, as the five)`);
    process.exit(0);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
}

const [dir, name, description, ...deps] = process.argv.slice(2);
if (!dir || !name) {
  console.error('usage: new-workspace.mjs <dir> <@crm/name> "<description>" [@crm/dep ...]');
  process.exit(2);
}
const abs = join(repoRoot, dir);
mkdirSync(join(abs, 'src'), { recursive: true });
const pkg = {
  name,
  version: '0.1.0',
  private: true,
  description,
  license: 'UNLICENSED',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
  dependencies: Object.fromEntries(deps.map((d) => [d, '*'])),
};
if (!existsSync(join(abs, 'package.json')))
  writeFileSync(join(abs, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
const refs = deps.map((d) => ({ path: relative(abs, join(repoRoot, 'packages', d.replace('@crm/', ''))) }));
writeFileSync(
  join(abs, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: relative(abs, join(repoRoot, 'tsconfig.base.json')),
      compilerOptions: {
        composite: true,
        rootDir: 'src',
        outDir: 'dist',
        tsBuildInfoFile: 'dist/.tsbuildinfo',
      },
      include: ['src'],
      exclude: ['src/**/*.spec.ts'],
      references: refs,
    },
    null,
    2,
  ) + '\n',
);
spawnSync(join(repoRoot, 'node_modules', '.bin', 'prettier'), [
  '--write',
  join(abs, 'package.json'),
  join(abs, 'tsconfig.json'),
]);
console.log(`workspace ${name} in ${dir}`);
