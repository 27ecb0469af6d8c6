// Regenerates src/generated/schemas.generated.ts after a change under schemas/events/.
// --check [file]: exit 1 when the committed file (or `file`) differs from what the schemas generate.
import { readFileSync, writeFileSync } from 'node:fs';
import { GENERATED_FILE, generateSchemaModule } from '../schema/generate';

const checkAt = process.argv.indexOf('--check');
const check = checkAt >= 0;
const target = (check && process.argv[checkAt + 1]) || GENERATED_FILE;

generateSchemaModule()
  .then((source) => {
    if (check) {
      if (readFileSync(target, 'utf8') !== source) {
        console.error(`${target} is stale: run this script without --check`);
        process.exit(1);
      }
      console.log('generated event types are up to date');
      return;
    }
    writeFileSync(GENERATED_FILE, source);
    console.log(`wrote ${GENERATED_FILE}`);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(2);
  });
