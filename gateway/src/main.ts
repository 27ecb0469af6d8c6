// Composition root of the gateway: env -> logger -> server -> shutdown on signals.
import { createLogger } from '@crm/logging';
import { stopOnSignals } from '@crm/subgraph';
import { loadEnv } from './env';
import { startGateway } from './server';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ service: 'gateway', level: env.LOG_LEVEL });
  const server = await startGateway(env, logger);
  stopOnSignals({ stop: () => server.stop() }, logger, env.SHUTDOWN_TIMEOUT_MS);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
