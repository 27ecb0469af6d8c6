// npm run openapi:check: builds the REST facade's OpenAPI document from the route table, as the
// gateway serves it at /api/v1/openapi.json, and validates it against the OpenAPI 3.1
// specification with a maintained validator (@readme/openapi-parser: the specification's
// schema plus its own checks: unique operationIds, path parameters declared, component names).
// With --write <file>, also writes the document there (to feed other tools).
import { writeFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { openApiDocument } from './openapi';

async function main(): Promise<void> {
  const document = openApiDocument();
  const at = process.argv.indexOf('--write');
  if (at >= 0 && process.argv[at + 1])
    writeFileSync(process.argv[at + 1]!, `${JSON.stringify(document, null, 2)}\n`);
  // the validator dereferences in place: give it a copy
  const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
  if (!result.valid) {
    process.stderr.write(`OpenAPI document invalid:\n${compileErrors(result)}\n`);
    process.exit(1);
  }
  const paths = Object.keys(document.paths as object).length;
  const warnings = result.warnings.length ? ` (${result.warnings.length} warnings)` : '';
  process.stdout.write(`OpenAPI 3.1 document valid: ${paths} paths${warnings}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`openapi:check failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
