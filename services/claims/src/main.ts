import { createLogger } from '@crm/logging';
import { startService, stopOnSignals } from '@crm/subgraph';
import { loadEnv } from './env';
import { definitionFromEnv } from './service';

async function main(): Promise<void> {
  const env = loadEnv();
  const service = await startService(definitionFromEnv(env), { env });
  stopOnSignals(service, service.runtime.logger);
}

main().catch((err: unknown) => {
  createLogger({ service: 'claims' }).fatal({ err }, 'claims service failed to start');
  process.exit(1);
});
