// npm run errors:table   writes the table of error codes into docs/graph.md (between the
//                        error-codes markers), from the catalogs the code raises them from:
//                        @crm/subgraph's COMMON_ERRORS and each service's src/errors.ts;
// npm run errors:check   fails when the table in docs/graph.md is not that table.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_ERRORS, httpStatus, type ErrorCatalog } from '@crm/subgraph';
import { CLAIMS_ERRORS } from '../../services/claims/src/errors';
import { CONVERSATION_ERRORS } from '../../services/conversation/src/errors';
import { ESCALATION_ERRORS } from '../../services/escalation/src/errors';
import { IDENTITY_ERRORS } from '../../services/identity/src/errors';
import { REIMBURSEMENT_ERRORS } from '../../services/reimbursement/src/errors';

const CATALOGS: [string, ErrorCatalog][] = [
  ['any', COMMON_ERRORS],
  ['identity', IDENTITY_ERRORS],
  ['claims', CLAIMS_ERRORS],
  ['conversation', CONVERSATION_ERRORS],
  ['reimbursement', REIMBURSEMENT_ERRORS],
  ['escalation', ESCALATION_ERRORS],
];
const BEGIN = '<!-- error-codes:begin (npm run errors:table) -->';
const END = '<!-- error-codes:end -->';

export function errorTable(catalogs: [string, ErrorCatalog][] = CATALOGS): string {
  const seen = new Map<string, string>();
  const rows = ['| code | kind (HTTP) | raised by | meaning |', '|---|---|---|---|'];
  for (const [owner, catalog] of catalogs) {
    for (const [code, spec] of Object.entries(catalog)) {
      const other = seen.get(code);
      if (other) throw new Error(`${code} is declared by both ${other} and ${owner}`);
      seen.set(code, owner);
      rows.push(`| \`${code}\` | ${spec.kind} (${httpStatus(spec.kind)}) | ${owner} | ${spec.meaning} |`);
    }
  }
  return rows.join('\n');
}

function main(): void {
  const path = join(__dirname, '..', '..', 'docs', 'graph.md');
  const doc = readFileSync(path, 'utf8');
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`docs/graph.md has no ${BEGIN} ... ${END} section`);
  const next = `${doc.slice(0, begin + BEGIN.length)}\n${errorTable()}\n${doc.slice(end)}`;
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/graph.md: the error-code table is stale; run `npm run errors:table` and commit it');
      process.exit(1);
    }
    console.log(`error-code table is up to date (${errorTable().split('\n').length - 2} codes)`);
    return;
  }
  writeFileSync(path, next);
  console.log('wrote the error-code table in docs/graph.md');
}

if (require.main === module) main();
