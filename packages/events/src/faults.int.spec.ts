// Crash tests on the real broker and database: processes SIGKILLed at the two points where an
// at-least-once pipeline can lose or double an event, and PostgreSQL backends terminated in the
// middle of a transaction.
import { openDatabase } from '@crm/db';
import { createLogger } from '@crm/logging';
import {
  createTestDatabase,
  integrationEnv,
  randomSuffix,
  testKafka,
  waitFor,
  type TestDatabase,
} from '@crm/testing';
import { type Admin } from 'kafkajs';
import { type DataSource } from 'typeorm';
import { createEventBackbone, type EventBackbone } from './backbone';
import { prefixedCatalog, provisionTopics, type TopicCatalog, type TopicSpec } from './catalog';
import {
  CreateChaosReadModel1763700000002,
  CreateChaosSource1763700000001,
  applyProbe,
  writeOrder,
} from './chaos/model';
import { spawnWorker, stopWorker, whenReady, type Worker } from './chaos/processes';
import { newEvent } from './envelope';
import { EVENT_BACKBONE_MIGRATIONS } from './outbox/migrations';
import { Outbox } from './outbox/outbox';
import { KafkaTransport } from './transport/kafka.transport';

jest.setTimeout(120_000);
const logger = createLogger({ service: 'events-faults', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('crash and fault tests (real Kafka, real PostgreSQL, real SIGKILL)', () => {
  let sourceDb: TestDatabase;
  let sinkDb: TestDatabase;
  let source: DataSource;
  let sink: DataSource;
  let admin: Admin;
  let catalog: TopicCatalog;
  let topic: TopicSpec;
  let transport: KafkaTransport;
  let outbox: Outbox;
  const buses: EventBackbone[] = [];
  const workers: Worker[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    [sourceDb, sinkDb] = await Promise.all([createTestDatabase('ev_src'), createTestDatabase('ev_sink')]);
    source = await openDatabase({
      url: sourceDb.url,
      applicationName: 'faults',
      migrations: [...EVENT_BACKBONE_MIGRATIONS, CreateChaosSource1763700000001],
    });
    sink = await openDatabase({
      url: sinkDb.url,
      applicationName: 'faults',
      migrations: [...EVENT_BACKBONE_MIGRATIONS, CreateChaosReadModel1763700000002],
    });
    admin = testKafka().admin();
    await admin.connect();
    env = {
      SOURCE_DB_URL: sourceDb.url,
      SINK_DB_URL: sinkDb.url,
      KAFKA_BROKERS: integrationEnv().kafkaBrokers.join(','),
      SESSION_TIMEOUT_MS: '6000',
    };
  });

  beforeEach(async () => {
    // a fresh topic per test: offsets and message counts start from zero
    const prefix = `t-${integrationEnv().runId}-flt${randomSuffix(3)}-`;
    const t = prefixedCatalog(prefix).topics.find((x) => x.domain === 'diagnostic')!;
    topic = { ...t, partitions: 3 };
    catalog = { topics: [topic] };
    outbox = new Outbox(catalog);
    // a fresh client per test: a kafkajs producer keeps asking for the metadata of every topic
    // it ever sent to, and the previous test's topic has been deleted
    transport = new KafkaTransport({
      brokers: integrationEnv().kafkaBrokers,
      clientId: 'faults',
      logger,
      sessionTimeoutMs: 6000,
    });
    await provisionTopics(admin, catalog);
    env.TOPIC_PREFIX = prefix;
    await source.query('truncate event_outbox, chaos_orders, chaos_subjects');
    await sink.query('truncate event_processed, chaos_applied, chaos_subject_state, chaos_inversions');
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => stopWorker(w, 3000)));
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await transport.close();
    await admin.deleteTopics({ topics: [topic.name, topic.dlq.name] }).catch(() => undefined);
  });

  afterAll(async () => {
    await admin.disconnect();
    await Promise.all([source.destroy(), sink.destroy()]);
    await Promise.all([sourceDb.drop(), sinkDb.drop()]);
  });

  const start = async (role: 'relay' | 'consumer', extra: Record<string, string> = {}): Promise<Worker> => {
    const worker = spawnWorker(role, `${role}-${randomSuffix(2)}`, { ...env, ...extra });
    workers.push(worker);
    await whenReady(worker);
    return worker;
  };
  const writeEvents = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push((await writeOrder(source, outbox, { writer: 'w', seq: i, subject: `s${i % 4}` })).id);
    return ids;
  };
  const messagesOnTopic = async () =>
    (await admin.fetchTopicOffsets(topic.name)).reduce((sum, p) => sum + Number(p.high), 0);
  const committedOffsets = async (groupId: string) =>
    (await admin.fetchOffsets({ groupId, topics: [topic.name] }))[0]!.partitions.reduce(
      (sum, p) => sum + Math.max(0, Number(p.offset)),
      0,
    );
  const pendingRows = async () =>
    (
      await source.query<
        {
          n: number;
        }[]
      >('select count(*)::int as n from event_outbox where sent_at is null')
    )[0]!.n;
  const applied = async () => await sink.query<{ event_id: string }[]>('select event_id from chaos_applied');
  const inProcess = async (role: 'relay' | 'consumer') => {
    const bus = await createEventBackbone({
      service: 'faults',
      dataSource: role === 'relay' ? source : sink,
      transport,
      logger,
      catalog,
      provision: false,
      relay: { pollIntervalMs: 100 },
    });
    buses.push(bus);
    if (role === 'relay') await bus.relay.start();
    return bus;
  };

  it('consumer SIGKILLed after its database commit and before its offset commit: redelivered, applied once', async () => {
    const ids = await writeEvents(12);
    await inProcess('relay');
    await waitFor('12 messages on the topic', async () => (await messagesOnTopic()) === 12);

    const group = `${env.TOPIC_PREFIX}read-model`;
    const doomed = await start('consumer', {
      CONSUMER_NAME: group,
      CRM_FAULT: 'after-db-commit',
      CRM_FAULT_AFTER: '3',
    });
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // the third event is in the read model, but the group never committed its offset
    // (events of other keys commit concurrently, so a few more may have made it)
    const before = (await applied()).length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(await committedOffsets(group)).toBeLessThan(before);

    await start('consumer', { CONSUMER_NAME: group });
    await waitFor('all 12 applied', async () => (await applied()).length >= 12, { timeoutMs: 60_000 });
    await waitFor('offsets committed', async () => (await committedOffsets(group)) === 12, {
      timeoutMs: 30_000,
    });
    const rows = await applied();
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(ids));
  });

  it('relay SIGKILLed after the Kafka ack and before marking rows sent: published again, applied once', async () => {
    const ids = await writeEvents(10);
    const doomed = await start('relay', { CRM_FAULT: 'after-kafka-ack' });
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await messagesOnTopic()).toBe(10);
    expect(
      await source.query<{ ok: boolean }[]>(
        'select count(*)::int as n from event_outbox where sent_at is null',
      ),
    ).toEqual([{ n: 10 }]);

    await start('relay');
    await waitFor('the outbox drained', async () => (await pendingRows()) === 0);
    expect(await messagesOnTopic()).toBe(20);

    const bus = await inProcess('consumer');
    const consumer = await bus.subscribe({
      consumer: `${env.TOPIC_PREFIX}rm`,
      topics: [topic.name],
      handler: applyProbe,
    });
    await waitFor('20 deliveries', () => consumer.applied + consumer.duplicates >= 20, { timeoutMs: 60_000 });
    const rows = await applied();
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(ids));
    expect(consumer.duplicates).toBe(10);
  });

  it('a PostgreSQL backend terminated in the middle of a handler transaction: retried, applied once', async () => {
    const event = newEvent(
      'BackboneProbe',
      { writer: 'w', seq: 1, keySeq: 1, sentAtMs: Date.now(), note: 'sleep:2' },
      { source: 'faults', subject: 'slow', actor: { kind: 'system', id: 'w' } },
    );
    await source.transaction((m) => outbox.publish(m, event));
    await inProcess('relay');
    const bus = await inProcess('consumer');
    const consumer = await bus.subscribe({
      consumer: `${env.TOPIC_PREFIX}rm`,
      topics: [topic.name],
      handler: applyProbe,
    });
    const killed = await waitFor(
      'the handler transaction to be terminated',
      async () => {
        const rows = await sink.query<{ ok: boolean }[]>(
          `select pg_terminate_backend(pid) as ok from pg_stat_activity
           where datname = current_database() and query like '%pg_sleep%' and pid <> pg_backend_pid()`,
        );
        return rows.some((r) => r.ok) ? rows.length : undefined;
      },
      { intervalMs: 20 },
    );
    expect(killed).toBe(1);
    await waitFor('the retry to apply it', async () => (await applied()).length === 1, { timeoutMs: 30_000 });
    expect(consumer.deadLettered).toBe(0);
    expect(await bus.metrics.retries.get()).toMatchObject({ values: [{ value: 1 }] });
    expect(await sink.query<{ ok: boolean }[]>('select count(*)::int as n from event_processed')).toEqual([
      { n: 1 },
    ]);
  });

  it('a writer backend terminated before commit: the event is never published (no phantom)', async () => {
    const event = newEvent(
      'BackboneProbe',
      { writer: 'w', seq: 1, keySeq: 1 },
      { source: 'faults', subject: 'phantom', actor: { kind: 'system', id: 'w' } },
    );
    const write = source.transaction(async (manager) => {
      await outbox.publish(manager, event);
      await manager.query('select pg_sleep(5)');
    });
    await waitFor('the writer to be terminated', async () => {
      const rows = await source.query<{ ok: boolean }[]>(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
         where datname = current_database() and query like '%pg_sleep(5)%' and pid <> pg_backend_pid()`,
      );
      return rows.some((r) => r.ok);
    });
    await expect(write).rejects.toThrow(/terminat/);
    await inProcess('relay');
    await writeEvents(1);
    await waitFor('the later event published', async () => (await messagesOnTopic()) === 1);
    expect(
      await source.query('select count(*)::int as n from event_outbox where event_id = $1', [event.id]),
    ).toEqual([{ n: 0 }]);
  });
});
