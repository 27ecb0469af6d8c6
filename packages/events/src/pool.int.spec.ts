// Consumers and the API share one connection pool. A backlog of events used to take every
// connection (consumers x partitions x keys, each transaction waiting on the same lock) and a
// request then waited past the pool's 5 s timeout: CI saw setAdvisorStatus fail that way while
// 50 escalations arrived. The backbone's cap keeps consumer transactions to a share of the pool;
// this proves it on the real broker and database, with the handlers held on a lock the test owns.
import { dropDatabase, openDatabase } from '@crm/db';
import { createLogger } from '@crm/logging';
import {
  createTestDatabase,
  integrationEnv,
  lockWaiters,
  randomSuffix,
  testKafka,
  waitFor,
  type TestDatabase,
} from '@crm/testing';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { createEventBackbone, type EventBackbone } from './backbone';
import { prefixedCatalog, type TopicCatalog } from './catalog';
import { type EventHandler } from './consumer/consumer';
import { newEvent } from './envelope';
import { EVENT_BACKBONE_MIGRATIONS, PROCESSED_TABLE } from './outbox/migrations';
import { KafkaTransport } from './transport/kafka.transport';

jest.setTimeout(90_000);
const logger = createLogger({ service: 'events-pool', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

const POOL = 4;
const CAP = 2;
const LOCK = 7_310_042;
const EVENTS = 24;

describe('consumer transactions and the connection pool (real Kafka, real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let transport: KafkaTransport;
  let bus: EventBackbone;
  let catalog: TopicCatalog;
  let holder: Client;
  const app = `events-pool-${randomSuffix(3)}`;

  beforeAll(async () => {
    db = await createTestDatabase('ev_pool');
    ds = await openDatabase({
      url: db.url,
      applicationName: app,
      migrations: EVENT_BACKBONE_MIGRATIONS,
      poolSize: POOL,
    });
    const prefix = `t-${integrationEnv().runId}-pool${randomSuffix(3)}-`;
    const topic = prefixedCatalog(prefix).topics.find((t) => t.domain === 'diagnostic')!;
    catalog = { topics: [{ ...topic, partitions: 4 }] };
    transport = new KafkaTransport({
      brokers: integrationEnv().kafkaBrokers,
      clientId: `pool-${randomSuffix(2)}`,
      logger,
      sessionTimeoutMs: 10_000,
      kafka: { retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 } },
    });
    bus = await createEventBackbone({
      service: 'pool',
      dataSource: ds,
      transport,
      logger,
      catalog,
      maxConcurrentTransactions: CAP,
      consumerDefaults: { watchdogIntervalMs: 60_000 },
    });
    holder = new Client({ connectionString: db.url });
    await holder.connect();
  });

  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    await bus?.close();
    await transport?.close();
    const admin = testKafka().admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: catalog.topics.flatMap((t) => [t.name, t.dlq.name]) })
      .catch(() => undefined);
    await admin.disconnect();
    await ds?.destroy();
    if (db) await dropDatabase(db.url);
  });

  /** this data source's sessions waiting on the test's lock */
  const waiting = () =>
    lockWaiters((text, params) => holder.query<Record<string, unknown>>(text, params).then((r) => r.rows), {
      events: ['advisory'],
      application: app,
    });

  it('keeps half the pool for requests while two consumers, many keys each, wait on one lock', async () => {
    await holder.query('select pg_advisory_lock($1)', [LOCK]);
    const handler: EventHandler = async (_event, manager) => {
      await manager.query('select pg_advisory_xact_lock($1)', [LOCK]);
    };
    const consumers = await Promise.all(
      ['a', 'b'].map((c) =>
        bus.subscribe({
          consumer: `pool-${c}-${randomSuffix(2)}`,
          topics: [catalog.topics[0]!.name],
          handler,
        }),
      ),
    );
    await waitFor('both consumers to hold their partitions', () => consumers.every((c) => c.health().joined));
    const events = Array.from({ length: EVENTS }, (_, i) =>
      newEvent(
        'BackboneProbe',
        { writer: 'pool', seq: i, keySeq: 1, sentAtMs: 0 },
        { source: 'pool', subject: `key-${i}`, actor: { kind: 'system', id: 'test' } },
      ),
    );
    await transport.send(
      events.map((e) => ({ topic: catalog.topics[0]!.name, key: e.subject, value: JSON.stringify(e) })),
    );

    // the cap fills, then stays: 2 x 24 events want a transaction, 2 hold one
    await waitFor('the consumers to wait on the lock', async () => (await waiting()) >= CAP);
    const seen: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      seen.push(await waiting());
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Math.max(...seen)).toBe(CAP);

    // what a request does meanwhile: several at once, each answered from the free half (with
    // every connection taken, they would wait and fail at the pool's 5 s connection timeout)
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => ds.query<{ one: number }[]>('select 1 as one')),
    );
    expect(answers.map((a) => a[0]!.one)).toEqual([1, 1, 1, 1, 1, 1]);

    // released, nothing was lost: every event applied once by each consumer
    await holder.query('select pg_advisory_unlock($1)', [LOCK]);
    await waitFor(
      'every event applied by both consumers',
      async () => {
        const [row] = await ds.query<{ n: number }[]>(`select count(*)::int as n from ${PROCESSED_TABLE}`);
        return row!.n === EVENTS * 2 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(consumers.map((c) => c.applied)).toEqual([EVENTS, EVENTS]);
  });
});
