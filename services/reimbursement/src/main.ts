import { startService, stopOnSignals } from '@crm/subgraph';
import { loadEnv } from './env';
import { definition } from './service';

async function main(): Promise<void> {
  const env = loadEnv();
  const service = await startService(definition, { env });
  stopOnSignals(service, service.runtime.logger);
}

void main().catch((err: unknown) => {
  // the logger may not exist yet (bad environment, unreachable database): stderr, then exit
  process.stderr.write(`reimbursement: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
