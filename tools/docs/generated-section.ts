// A section of a doc that is generated from the code (the error-code and policy tables in
// docs/graph.md), between two markers: written by `npm run <x>:table`, checked by `<x>:check`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedSection {
  /** relative to the repository's root, e.g. docs/graph.md */
  doc: string;
  /** the marker names: <!-- NAME:begin (npm run COMMAND) --> ... <!-- NAME:end --> */
  name: string;
  command: string;
  content: string;
}

/** Writes the section, or with `check` exits 1 when the doc holds another version of it. */
export function writeOrCheckSection(section: GeneratedSection, check: boolean): void {
  const path = join(__dirname, '..', '..', section.doc);
  const begin = `<!-- ${section.name}:begin (npm run ${section.command}) -->`;
  const end = `<!-- ${section.name}:end -->`;
  const doc = readFileSync(path, 'utf8');
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${section.doc} has no ${begin} ... ${end} section`);
  const next = `${doc.slice(0, from + begin.length)}\n${section.content}\n${doc.slice(to)}`;
  if (check) {
    if (next !== doc) {
      console.error(
        `${section.doc}: the ${section.name} table is stale; run \`npm run ${section.command}\` and commit it`,
      );
      process.exit(1);
    }
    console.log(`${section.doc}: the ${section.name} table is up to date`);
    return;
  }
  writeFileSync(path, next);
  console.log(`wrote the ${section.name} table in ${section.doc}`);
}
