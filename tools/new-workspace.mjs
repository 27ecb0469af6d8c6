#!/usr/bin/env node
// Creates the skeleton of a workspace so every package has the same shape:
//   node tools/new-workspace.mjs packages/events @crm/events "description" [dep ...]
// package.json "exports" resolves to src/*.ts under the "source" condition (typecheck, jest,
// tsx in development) and to dist/*.js otherwise (production builds: npm run build).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './kafka/broker.mjs';

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
