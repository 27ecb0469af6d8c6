// Copies tools/skeleton/service to a new service, renaming the sample's names: the service
// `sample` (Sample, SAMPLE), its port 4999, its feature `widget` (Widget, WIDGET, widgets).
// Pure file work, no install: new-workspace.mjs --service calls it, copy.spec.ts checks it.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const here = import.meta.dirname;
export const SKELETON = join(here, 'service');
const repoRoot = join(here, '..', '..');
const WORD = /^[a-z][a-z0-9]*$/;

const capital = (word) => word[0].toUpperCase() + word.slice(1);

/** The replacements, longest first so that `widgets` is not read as `widget` + `s`. */
function renames({ name, port, feature }) {
  return [
    ['widgets', `${feature}s`],
    ['Widgets', `${capital(feature)}s`],
    ['widget', feature],
    ['Widget', capital(feature)],
    ['WIDGET', feature.toUpperCase()],
    ['sample', name],
    ['Sample', capital(name)],
    ['SAMPLE', name.toUpperCase()],
    ['4999', String(port)],
  ];
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'generated' || entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * Writes the new service under `target` and returns the files written (relative to it).
 * Refuses a name or feature that is not one lower-case word, a port outside 1024-65535, and
 * a target that already exists.
 */
export function copyServiceSkeleton({ target, name, port, feature }) {
  if (!WORD.test(name ?? '')) throw new Error(`service name must be one lower-case word, got ${name}`);
  if (!WORD.test(feature ?? '')) throw new Error(`feature must be one lower-case word, got ${feature}`);
  const portNumber = Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 1024 || portNumber > 65535)
    throw new Error(`port must be 1024-65535, got ${port}`);
  if (existsSync(target)) throw new Error(`${target} already exists`);
  const pairs = renames({ name, port: portNumber, feature });
  const written = [];
  for (const source of walk(SKELETON)) {
    let rel = relative(SKELETON, source);
    for (const [from, to] of pairs) rel = rel.split(from).join(to);
    const dest = join(target, rel);
    // the template sits three levels below the root; the copy may sit anywhere under it
    const toRoot = relative(dirname(dest), repoRoot) + '/';
    let text = readFileSync(source, 'utf8').split('../../../').join(toRoot);
    for (const [from, to] of pairs) text = text.split(from).join(to);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
    written.push(rel);
  }
  return written.sort();
}
