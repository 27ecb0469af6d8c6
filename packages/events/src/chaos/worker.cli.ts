// One process of the chaos scenario or of a fault test: `writer`, `relay` or `consumer`.
// Configured by environment (set by the orchestrator); prints `ready` once it works, stops on
// SIGTERM, and may be SIGKILLed at any moment (or kill itself at a CRM_FAULT point).
import { createDataSource } from '@crm/db';
import { createLogger } from '@crm/logging';
import { createEventBackbone } from '../backbone';
import { prefixedCatalog, topicForEventType } from '../catalog';
import { KafkaTransport } from '../transport/kafka.transport';
import { applyProbe, writeOrder } from './model';

const role = process.argv[2];
const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`worker: ${name} is required`);
  return value;
};
const id = env('WORKER_ID', `${role}-${process.pid}`);
const logger = createLogger({
  service: `chaos-${id}`,
  level: env('LOG_LEVEL', 'warn'),
  destination: process.stderr,
});
const catalog = prefixedCatalog(env('TOPIC_PREFIX', ''));
// short sessions: a SIGKILLed member leaves the group (and its partitions) within seconds;
// 6 s is the broker's default group.min.session.timeout.ms, a shorter one is refused
const session = Number(env('SESSION_TIMEOUT_MS', '6000'));

async function main(): Promise<void> {
  const dataSource = createDataSource({
    url: env(role === 'consumer' ? 'SINK_DB_URL' : 'SOURCE_DB_URL'),
    applicationName: `chaos-${id}`,
    poolSize: 8,
  });
  await dataSource.initialize();
  const transport = new KafkaTransport({
    brokers: env('KAFKA_BROKERS').split(','),
    clientId: `chaos-${id}`,
    logger,
    sessionTimeoutMs: session,
    rebalanceTimeoutMs: session + 4000,
  });
  const bus = await createEventBackbone({
    service: 'chaos',
    dataSource,
    transport,
    logger,
    catalog,
    provision: false,
    relay: { pollIntervalMs: 200, errorBackoffMs: 500, batchSize: Number(env('RELAY_BATCH', '200')) },
  });
  let stopping = false;
  const stops: (() => Promise<unknown>)[] = [];

  if (role === 'relay') {
    await bus.relay.start();
  } else if (role === 'consumer') {
    await bus.subscribe({
      consumer: env('CONSUMER_NAME', 'chaos.read-model'),
      topics: [topicForEventType('BackboneProbe', catalog).name],
      handler: applyProbe,
      backoff: { initialMs: 50, maxMs: 500, maxAttempts: Number(env('MAX_ATTEMPTS', '4')) },
      stallTimeoutMs: 20_000,
      watchdogIntervalMs: 2000,
    });
  } else if (role === 'writer') {
    const keys = Number(env('CHAOS_KEYS', '24'));
    const perSecond = Number(env('WRITER_RATE', '50'));
    const limit = Number(env('WRITER_LIMIT', '0'));
    const loop = (async () => {
      for (let seq = 0; !stopping && (!limit || seq < limit); seq++) {
        const t0 = Date.now();
        const subject = `subject-${Math.floor(Math.random() * keys)}`;
        try {
          await writeOrder(dataSource, bus.outbox, { writer: id, seq, subject });
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'write failed');
        }
        const wait = 1000 / perSecond - (Date.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    stops.push(() => loop);
  } else {
    throw new Error(`worker: unknown role ${role}`);
  }
  process.stdout.write('ready\n');

  process.once('SIGTERM', () => {
    stopping = true;
    void (async () => {
      for (const stop of stops) await stop();
      await bus.close();
      await transport.close();
      await dataSource.destroy();
      process.exit(0);
    })();
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
