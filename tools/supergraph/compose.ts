// npm run supergraph:compose   composes each service's src/schema.graphql into
//                              schemas/supergraph.graphql with @apollo/composition (offline);
// npm run supergraph:check     fails when composition fails or a committed file is stale.
import { composeServices } from '@apollo/composition';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'graphql';
import { SUBGRAPHS } from './subgraphs';

const root = join(__dirname, '..', '..');
const check = process.argv.includes('--check');
const outDir = join(root, 'schemas');
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

const sources = SUBGRAPHS.map((s) => {
  const path = join(root, 'services', s.name, 'src', 'schema.graphql');
  const sdl = read(path);
  if (sdl === undefined) throw new Error(`missing ${relative(root, path)}`);
  return { ...s, path, sdl };
});

const result = composeServices(
  sources.map((s) => ({ name: s.name, url: `http://127.0.0.1:${s.port}/graphql`, typeDefs: parse(s.sdl) })),
);
if (result.errors) {
  console.error(`supergraph composition FAILED (${result.errors.length} errors):`);
  for (const e of result.errors) console.error(`  - ${e.message}`);
  process.exit(1);
}
for (const hint of result.hints ?? []) console.error(`hint: ${hint.definition.code}: ${hint.message}`);

const header =
  '# Composed by `npm run supergraph:compose` from services/*/src/schema.graphql. Do not edit.\n';
// the subgraphs' SDL is read where it lives (services/<name>/src/schema.graphql), never copied
const outputs: [string, string][] = [
  [join(outDir, 'supergraph.graphql'), header + result.supergraphSdl + '\n'],
];

if (check) {
  const stale = outputs
    .filter(([path, content]) => read(path) !== content)
    .map(([path]) => relative(root, path));
  if (stale.length) {
    console.error(`stale: ${stale.join(', ')}\nrun \`npm run supergraph:compose\` and commit the result`);
    process.exit(1);
  }
  console.log(`supergraph is up to date (${sources.length} subgraphs compose)`);
} else {
  for (const [path, content] of outputs) writeFileSync(path, content);
  console.log(
    `composed ${sources.length} subgraphs into ${relative(root, join(outDir, 'supergraph.graphql'))}`,
  );
}
