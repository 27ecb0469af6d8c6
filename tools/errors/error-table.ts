// npm run errors:table   writes the table of error codes into docs/graph.md (between the
//                        error-codes markers), from the catalogs the code raises them from:
//                        @crm/subgraph's COMMON_ERRORS and each service's src/errors.ts;
// npm run errors:check   fails when the table in docs/graph.md is not that table.
import { COMMON_ERRORS, httpStatus, type ErrorCatalog } from '@crm/subgraph';
import { CLAIMS_ERRORS } from '../../services/claims/src/errors';
import { CONVERSATION_ERRORS } from '../../services/conversation/src/errors';
import { ESCALATION_ERRORS } from '../../services/escalation/src/errors';
import { IDENTITY_ERRORS } from '../../services/identity/src/errors';
import { REIMBURSEMENT_ERRORS } from '../../services/reimbursement/src/errors';
import { writeOrCheckSection } from '../docs/generated-section';

const CATALOGS: [string, ErrorCatalog][] = [
  ['any', COMMON_ERRORS],
  ['identity', IDENTITY_ERRORS],
  ['claims', CLAIMS_ERRORS],
  ['conversation', CONVERSATION_ERRORS],
  ['reimbursement', REIMBURSEMENT_ERRORS],
  ['escalation', ESCALATION_ERRORS],
];

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
  writeOrCheckSection(
    { doc: 'docs/graph.md', name: 'error-codes', command: 'errors:table', content: errorTable() },
    process.argv.includes('--check'),
  );
}

if (require.main === module) main();
