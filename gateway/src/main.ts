// Composition root of the gateway: env -> logger -> server -> shutdown on signals.
import { KafkaTransport, prefixedCatalog, TOPIC_CATALOG } from '@crm/events';
import { createLogger } from '@crm/logging';
import { stopOnSignals } from '@crm/subgraph';
import { loadEnv } from './env';
import type { PublishPartner } from './rest';
import { startGateway } from './server';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ service: 'gateway', level: env.LOG_LEVEL });
  // POST /api/v1/events publishes on the partner inbound topic, when the gateway has Kafka
  const transport = env.KAFKA_BROKERS
    ? new KafkaTransport({ brokers: env.KAFKA_BROKERS, clientId: 'crm-gateway', logger })
    : undefined;
  const catalog = env.EVENT_NAMESPACE ? prefixedCatalog(env.EVENT_NAMESPACE) : TOPIC_CATALOG;
  const partnerTopic = catalog.topics.find((t) => t.format === 'partner')!.name;
  const publishPartner: PublishPartner | undefined = transport
    ? (message, key) => transport.send([{ topic: partnerTopic, key, value: JSON.stringify(message) }])
    : undefined;
  const server = await startGateway(env, logger, publishPartner ? { publishPartner } : {});
  stopOnSignals(
    {
      stop: async () => {
        await server.stop();
        await transport?.close();
      },
    },
    logger,
    env.SHUTDOWN_TIMEOUT_MS,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
