#!/usr/bin/env node
// After `tsc -b`: copies the non-TypeScript files the compiled code reads at run time
// (each service's schema.graphql, the worker threads' plain modules) from src/ to dist/, keeping
// their relative paths.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './kafka/broker.mjs';

const ASSET = /\.graphql$|\.worker\.mjs$/;
let copied = 0;
function walk(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit(path);
  }
}
for (const group of ['services', 'packages']) {
  for (const ws of readdirSync(join(repoRoot, group))) {
    const src = join(repoRoot, group, ws, 'src');
    const dist = join(repoRoot, group, ws, 'dist');
    if (!existsSync(src) || !existsSync(dist)) continue;
    walk(src, (file) => {
      if (!ASSET.test(file)) return;
      cpSync(file, join(dist, relative(src, file)));
      copied += 1;
    });
  }
}
console.log(`copied ${copied} asset file(s) into dist/`);
