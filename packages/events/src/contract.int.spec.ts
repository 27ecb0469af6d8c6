// The backbone's contract, run against both transports with the real PostgreSQL (and, for
// Kafka, the real broker): outbox in the caller's transaction, per-key order with several
// relays, at-least-once delivery applied once, retries, dead letters, partner events, health.
import { dropDatabase, openDatabase } from '@crm/db';
import { createLogger } from '@crm/logging';
import {
  createTestDatabase,
  integrationEnv,
  namespaceRecords,
  randomSuffix,
  testKafka,
  waitFor,
  type TestDatabase,
} from '@crm/testing';
import { type DataSource, type EntityManager } from 'typeorm';
import { createEventBackbone, type EventBackbone } from './backbone';
import { prefixedCatalog, type TopicCatalog, type TopicSpec } from './catalog';
import {
  CreateChaosReadModel1763700000002,
  CreateChaosSource1763700000001,
  applyProbe,
  writeOrder,
} from './chaos/model';
import { type EventConsumer } from './consumer/consumer';
import { newEvent, partnerEventId, type AnyEvent } from './envelope';
import { EVENT_BACKBONE_MIGRATIONS, PROCESSED_TABLE } from './outbox/migrations';
import { OutboxRelay } from './outbox/relay';
import { KafkaTransport } from './transport/kafka.transport';
import { MemoryTransport } from './transport/memory.transport';
import { type DeliveredMessage, type OutgoingRecord, type Transport } from './transport/transport';

jest.setTimeout(90_000);

type Kind = 'memory' | 'kafka';
const logger = createLogger({ service: 'events-contract', level: 'silent' });

interface Harness {
  ds: DataSource;
  bus: EventBackbone;
  transport: Transport;
  catalog: TopicCatalog;
  topic: TopicSpec;
  partner: TopicSpec;
  extraRelays: OutboxRelay[];
  sendRaw(records: Omit<OutgoingRecord, 'topic'>[], topic?: string): Promise<void>;
  deadLetters(expected: number, topic?: TopicSpec): Promise<DeliveredMessage[]>;
  /** the run's topic prefix (its namespace) */
  prefix: string;
  applied(): Promise<{ event_id: string; subject: string; key_seq: number }[]>;
  close(): Promise<void>;
}

async function harness(kind: Kind, db: TestDatabase): Promise<Harness> {
  const prefix =
    kind === 'kafka' ? `t-${integrationEnv().runId}-ev${randomSuffix(3)}-` : `m${randomSuffix(3)}-`;
  const full = prefixedCatalog(prefix);
  const topic = full.topics.find((t) => t.domain === 'diagnostic')!;
  const partner = full.topics.find((t) => t.domain === 'partner')!;
  // fewer partitions than production keep topic creation quick on the test broker
  const catalog: TopicCatalog = {
    topics: [
      { ...topic, partitions: 4 },
      { ...partner, partitions: 2 },
    ],
  };
  const ds = await openDatabase({
    url: db.url,
    applicationName: 'events-contract',
    migrations: [
      ...EVENT_BACKBONE_MIGRATIONS,
      CreateChaosSource1763700000001,
      CreateChaosReadModel1763700000002,
    ],
  });
  const transport: Transport =
    kind === 'memory'
      ? new MemoryTransport({ redeliveryDelayMs: 20 })
      : new KafkaTransport({
          brokers: integrationEnv().kafkaBrokers,
          clientId: `contract-${randomSuffix(2)}`,
          logger,
          sessionTimeoutMs: 10_000,
          kafka: { retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 } },
        });
  const bus = await createEventBackbone({
    service: 'contract',
    dataSource: ds,
    transport,
    logger,
    catalog,
    relay: { pollIntervalMs: 100, batchSize: 50 },
    consumerDefaults: { backoff: { initialMs: 10, maxMs: 50, maxAttempts: 3 }, watchdogIntervalMs: 250 },
  });
  const extraRelays: OutboxRelay[] = [];
  const readTopic = async (name: string, expected: number): Promise<DeliveredMessage[]> => {
    if (transport instanceof MemoryTransport) {
      return waitFor(`${expected} messages on ${name}`, () => {
        const records = transport.records(name);
        return records.length >= expected ? records : undefined;
      });
    }
    // the reader is a Kafka consumer too, at least once: a rebalance while its new group forms
    // can hand it the same records again (a loaded full run read 144 where 102 were
    // expected). A record is its (partition, offset): each is counted once, so the assertions
    // below still see every duplicate the dead-lettering side would write (another offset).
    const seen: DeliveredMessage[] = [];
    const read = new Set<string>();
    const consumer = testKafka().consumer({
      groupId: `${prefix}reader-${randomSuffix()}`,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [name], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        if (read.has(`${partition}:${message.offset}`)) return Promise.resolve();
        read.add(`${partition}:${message.offset}`);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        seen.push({
          topic: name,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers,
        });
        return Promise.resolve();
      },
    });
    try {
      return await waitFor(
        `${expected} messages on ${name}`,
        () => (seen.length >= expected ? seen : undefined),
        {
          timeoutMs: 30_000,
        },
      );
    } finally {
      await consumer.disconnect();
    }
  };
  return {
    ds,
    bus,
    transport,
    catalog,
    topic: catalog.topics[0]!,
    partner: catalog.topics[1]!,
    prefix,
    extraRelays,
    sendRaw: (records, name = catalog.topics[0]!.name) =>
      transport.send(records.map((r) => ({ ...r, topic: name }))),
    deadLetters: (expected, spec = catalog.topics[0]!) => readTopic(spec.dlq.name, expected),
    applied: async () =>
      await ds.query<
        {
          event_id: string;
          subject: string;
          key_seq: number;
        }[]
      >('select event_id, subject, key_seq from chaos_applied order by id'),
    close: async () => {
      await Promise.allSettled(extraRelays.map((r) => r.stop()));
      await bus.close();
      await transport.close();
      if (kind === 'kafka') {
        const admin = testKafka().admin();
        await admin.connect();
        await admin
          .deleteTopics({ topics: catalog.topics.flatMap((t) => [t.name, t.dlq.name]) })
          .catch(() => undefined);
        await admin.disconnect();
      }
      await ds.destroy();
    },
  };
}

const probe = (subject: string, keySeq: number, note?: string): AnyEvent =>
  newEvent(
    'BackboneProbe',
    { writer: 'test', seq: keySeq, keySeq, sentAtMs: Date.now(), ...(note ? { note } : {}) },
    { source: 'contract', subject, actor: { kind: 'system', id: 'test' } },
  );

/** A partner's audit in its own format (the timestamp is the partner's, compared with nothing). */
const auditMessage = (sourceId: string, email: string) => ({
  type: 'AUDIT_COMPLETED',
  timestamp: '2026-11-20T09:30:00Z',
  source: 'WEB_CHAT',
  source_id: sourceId,
  email,
  intent: 'DTV',
  site_id: 'siam-visa-pro',
  payload: {
    visa_type: 'DTV',
    audit_status: 'VALID',
    confidence_score: 85,
    issues: [],
    missing_docs: ['Proof of Address'],
    ready_for_payment: true,
  },
});

describe.each<Kind>(['memory', 'kafka'])('event backbone contract (%s transport)', (kind) => {
  let db: TestDatabase;
  let h: Harness;
  beforeEach(async () => {
    db = await createTestDatabase(`ev_${kind}`);
    h = await harness(kind, db);
  });
  afterEach(async () => {
    await h.close();
    await dropDatabase(db.url);
  });

  // subscribe() returns before the group is joined (the join is not awaited, kafka.transport.ts);
  // these tests count deliveries exactly, so they start from a consumer that holds its partitions:
  // a rebalance while it joins would legitimately deliver an uncommitted batch once more
  const subscribeProbe = async (
    options: Partial<Parameters<EventBackbone['subscribe']>[0]> = {},
  ): Promise<EventConsumer> => {
    const consumer = await h.bus.subscribe({
      consumer: `read-model-${randomSuffix(2)}`,
      topics: [h.topic.name],
      handler: applyProbe,
      ...options,
    });
    await waitFor('the consumer to hold its partitions', () => consumer.health().joined);
    return consumer;
  };

  it('publishes what the transaction commits, once, and nothing of what it rolls back', async () => {
    const committed: string[] = [];
    for (let i = 0; i < 20; i++) {
      committed.push(
        (await writeOrder(h.ds, h.bus.outbox, { writer: 'w', seq: i, subject: `s${i % 3}` })).id,
      );
    }
    const rolledBack = probe('s0', 999);
    await expect(
      h.ds.transaction(async (manager) => {
        await h.bus.outbox.publish(manager, rolledBack);
        throw new Error('business rule says no');
      }),
    ).rejects.toThrow('business rule says no');
    await expect(h.bus.outbox.publish(h.ds.manager, probe('s0', 1))).rejects.toThrow(/open transaction/);

    expect((await h.bus.relay.stats()).pending).toBe(20);
    await subscribeProbe();
    await h.bus.relay.start();
    await waitFor('20 events applied', async () => (await h.applied()).length >= 20);
    const applied = await h.applied();
    expect(applied.map((a) => a.event_id).sort()).toEqual([...committed].sort());
    expect(applied.map((a) => a.event_id)).not.toContain(rolledBack.id);
    await waitFor('relay stats at zero', async () => (await h.bus.relay.stats()).pending === 0);
    const health = await h.bus.health();
    expect(health).toMatchObject({ live: true, ready: true, relay: { running: true, pending: 0 } });
  });

  it('keeps per-key order with three relays, late commits and parallel keys', async () => {
    for (let i = 0; i < 2; i++) {
      h.extraRelays.push(
        new OutboxRelay('contract', h.ds, h.transport, logger, h.bus.metrics, {
          batchSize: 7,
          pollIntervalMs: 50,
        }),
      );
    }
    await subscribeProbe({ keyConcurrency: 8 });
    await Promise.all([h.bus.relay.start(), ...h.extraRelays.map((r) => r.start())]);
    // a transaction that takes its outbox sequence early and commits late, while others pass it
    const late = h.ds.transaction(async (manager: EntityManager) => {
      await h.bus.outbox.publish(manager, probe('late-key', 1));
      await new Promise((r) => setTimeout(r, 1500));
    });
    const writers = Array.from({ length: 4 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 40; i++) {
          await writeOrder(h.ds, h.bus.outbox, { writer: `w${w}`, seq: i, subject: `k${(i * 7 + w) % 8}` });
        }
      })(),
    );
    await Promise.all([...writers, late]);
    await waitFor('161 events applied', async () => (await h.applied()).length >= 161, { timeoutMs: 45_000 });
    const applied = await h.applied();
    expect(applied).toHaveLength(161);
    expect(new Set(applied.map((a) => a.event_id)).size).toBe(161);
    expect(applied.some((a) => a.subject === 'late-key')).toBe(true);
    for (let k = 0; k < 8; k++) {
      const seqs = applied.filter((a) => a.subject === `k${k}`).map((a) => a.key_seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs).toHaveLength(20);
    }
    expect(await h.ds.query('select count(*)::int as n from chaos_inversions')).toEqual([{ n: 0 }]);
  });

  it('applies a redelivered event once (idempotency table) and retries a failing handler with backoff', async () => {
    const event = probe('dup', 1);
    const flaky = probe('flaky', 1);
    const attempts = new Map<string, number>();
    const consumer = await subscribeProbe({
      handler: async (e, manager) => {
        const n = (attempts.get(e.id) ?? 0) + 1;
        attempts.set(e.id, n);
        if (e.id === flaky.id && n < 3) throw new Error(`transient failure ${n}`);
        await applyProbe(e, manager);
      },
    });
    const value = JSON.stringify(event);
    await h.sendRaw([
      { key: 'dup', value },
      { key: 'dup', value },
      { key: 'flaky', value: JSON.stringify(flaky) },
      { key: 'dup', value },
    ]);
    await waitFor('both applied', async () => (await h.applied()).length >= 2);
    await waitFor('all deliveries seen', () => consumer.duplicates >= 2);
    const applied = await h.applied();
    expect(applied.map((a) => a.event_id).sort()).toEqual([event.id, flaky.id].sort());
    expect(attempts.get(event.id)).toBe(1);
    expect(attempts.get(flaky.id)).toBe(3);
    expect(consumer.duplicates).toBe(2);
    expect(consumer.deadLettered).toBe(0);
  });

  it('an ephemeral consumer writes no idempotency rows, opens no transaction, and its Kafka group is gone once it stops', async () => {
    const name = `live-${randomSuffix(3)}`;
    const seen: string[] = [];
    const inTransaction: boolean[] = [];
    const consumer = await subscribeProbe({
      consumer: name,
      ephemeral: true,
      handler: async (e, manager) => {
        seen.push(e.id);
        inTransaction.push(manager.queryRunner?.isTransactionActive === true);
        await applyProbe(e, manager);
      },
    });
    const events = [probe('e1', 1), probe('e2', 1)];
    await h.sendRaw(events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    // the handler sees an event before its transaction commits: wait for the commits
    await waitFor('both applied', async () => seen.length >= 2 && (await h.applied()).length >= 2);
    expect((await h.applied()).map((a) => a.event_id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(
      await h.ds.query(`select count(*)::int as n from ${PROCESSED_TABLE} where consumer = $1`, [name]),
    ).toEqual([{ n: 0 }]);
    // no transaction opened for a feed's event
    expect(inTransaction).toEqual([false, false]);
    if (kind === 'kafka') {
      const admin = testKafka().admin();
      await admin.connect();
      try {
        const groups = async () => (await admin.listGroups()).groups.map((g) => g.groupId);
        expect(await groups()).toContain(name);
        await consumer.stop();
        expect(await groups()).not.toContain(name);
      } finally {
        await admin.disconnect();
      }
    }
  });

  it('dead-letters one poison message and 100 malformed ones, and other keys keep flowing', async () => {
    const consumer = await subscribeProbe();
    const malformed: Omit<OutgoingRecord, 'topic'>[] = Array.from({ length: 100 }, (_, i) => {
      const key = `m${i % 10}`;
      if (i % 3 === 0) return { key, value: `{"not json ${i}` };
      if (i % 3 === 1) return { key, value: JSON.stringify({ ...probe(key, i), data: { writer: 'x' } }) };
      return { key, value: JSON.stringify({ ...probe(key, i), type: 'SomethingElse' }) };
    });
    const poison = probe('p', 1, 'poison');
    // the handler's reason names a person: the dead letter's dlq-error header must not
    const rejected = probe('r', 1, 'reject:client marie.dupont@example.fr, 06 12 34 56 78');
    const good = [
      ...Array.from({ length: 5 }, (_, i) => probe('p', i + 2)),
      ...Array.from({ length: 20 }, (_, i) => probe(`g${i % 4}`, i)),
    ];
    await h.sendRaw([
      { key: 'p', value: JSON.stringify(poison) },
      ...malformed,
      { key: 'r', value: JSON.stringify(rejected) },
      ...good.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    ]);
    await waitFor('25 good events applied', async () => (await h.applied()).length >= 25, {
      timeoutMs: 45_000,
    });
    const dead = await h.deadLetters(102);
    expect(dead).toHaveLength(102);
    const poisonDl = dead.find((d) => d.key === 'p')!;
    expect(poisonDl.headers).toMatchObject({
      'dlq-original-topic': h.topic.name,
      'dlq-attempts': '3',
      'dlq-error-code': 'EVENT.HANDLER_FAILED',
      'dlq-consumer': consumer.name,
    });
    expect(Number(poisonDl.headers['dlq-original-offset'])).toBeGreaterThanOrEqual(0);
    expect(poisonDl.headers['dlq-original-partition']).toMatch(/^\d+$/);
    expect(JSON.parse(poisonDl.value!.toString()).id).toBe(poison.id);
    const rejectedDl = dead.find((d) => d.key === 'r')!;
    expect(rejectedDl.headers).toMatchObject({ 'dlq-attempts': '1', 'dlq-error-code': 'EVENT.REJECTED' });
    expect(rejectedDl.headers['dlq-error']).toMatch(
      /^EVENT\.REJECTED: the read model refuses this event: client /,
    );
    expect(rejectedDl.headers['dlq-error']).not.toMatch(/marie|dupont|06 12 34 56 78/);
    const codes = dead.filter((d) => d.key?.startsWith('m')).map((d) => d.headers['dlq-error-code']);
    expect(codes.filter((c) => c === 'EVENT.MALFORMED')).toHaveLength(34);
    expect(codes.filter((c) => c === 'EVENT.INVALID_SCHEMA')).toHaveLength(33);
    expect(codes.filter((c) => c === 'EVENT.UNKNOWN_TYPE')).toHaveLength(33);
    expect(dead.filter((d) => d.key?.startsWith('m')).every((d) => d.headers['dlq-attempts'] === '1')).toBe(
      true,
    );
    // the key behind the poison message went on, in order
    const applied = await h.applied();
    expect(applied.filter((a) => a.subject === 'p').map((a) => a.key_seq)).toEqual([2, 3, 4, 5, 6]);
    expect(consumer.health().status).toBe('running');
    expect(consumer.deadLettered).toBe(102);
  });

  it('turns partner messages into envelopes with the seed id sha256(source + source_id), applied once', async () => {
    const seen: AnyEvent[] = [];
    await h.bus.subscribe({
      consumer: `partner-${randomSuffix(2)}`,
      topics: [h.partner.name],
      handler: (event) => {
        seen.push(event);
        return Promise.resolve();
      },
    });
    const message = auditMessage(`session-${randomSuffix()}`, 'Jean.Martin@Example.fr');
    const value = JSON.stringify(message);
    await h.sendRaw(
      [
        { key: 'x', value },
        { key: 'x', value },
        { key: 'x', value: JSON.stringify({ ...message, source_id: undefined }) },
        // one message cannot store megabytes in a journal: over 256 KiB, refused unread
        { key: 'x', value: JSON.stringify({ ...message, summary: { notes: 'x'.repeat(300_000) } }) },
      ],
      h.partner.name,
    );
    const dead = await h.deadLetters(2, h.partner);
    expect(dead.map((d) => d.headers['dlq-error-code'])).toEqual(['EVENT.INVALID_SCHEMA', 'EVENT.TOO_LARGE']);
    await waitFor('the partner event', () => seen.length >= 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      id: partnerEventId('WEB_CHAT', message.source_id),
      type: 'AUDIT_COMPLETED',
      subject: 'jean.martin@example.fr',
      data: { payload: { audit_status: 'VALID' } },
    });
  });

  it("deletes the partners' messages once its group committed them: a later reader finds none of them", async () => {
    const seen: AnyEvent[] = [];
    const reader = await h.bus.subscribe({
      consumer: `partner-del-${randomSuffix(2)}`,
      topics: [h.partner.name],
      handler: (event) => {
        seen.push(event);
        return Promise.resolve();
      },
      deleteConsumedEveryMs: 0,
    });
    const message = (id: string) => JSON.stringify(auditMessage(id, 'canari.efface@example.fr'));
    const [first, second, third] = [`s-${randomSuffix()}`, `s-${randomSuffix()}`, `s-${randomSuffix()}`];
    await h.sendRaw(
      [
        { key: 'a', value: message(first) },
        { key: 'b', value: message(second) },
      ],
      h.partner.name,
    );
    await waitFor('both applied', () => seen.length >= 2);
    const deleted = async () =>
      (await h.bus.metrics.consumedDeleted.get()).values
        .filter((v) => v.labels.consumer === reader.name)
        .reduce((sum, v) => sum + v.value, 0);
    // the watchdog's pass deletes what the group committed (the commit follows the handler)
    await waitFor('the two consumed messages deleted', async () => {
      await reader.checkProgress(Date.now());
      return (await deleted()) >= 2;
    });
    expect(await deleted()).toBe(2);
    await reader.stop();
    if (kind === 'kafka') {
      // what a reader of the cluster's history gets: nothing of them (and the read ends although
      // the partitions' first offsets are no longer 0)
      const history = await namespaceRecords(h.prefix);
      expect(history.filter((r) => r.value.includes(first) || r.value.includes(second))).toEqual([]);
    }

    // a group reading from the beginning finds only what came after
    const later: AnyEvent[] = [];
    await h.bus.subscribe({
      consumer: `partner-late-${randomSuffix(2)}`,
      topics: [h.partner.name],
      handler: (event) => {
        later.push(event);
        return Promise.resolve();
      },
    });
    await h.sendRaw([{ key: 'c', value: message(third) }], h.partner.name);
    await waitFor('the later message', () => later.length >= 1);
    expect(later.map((e) => e.id)).toEqual([partnerEventId('WEB_CHAT', third)]);
    expect(seen.map((e) => e.id).sort()).toEqual(
      [partnerEventId('WEB_CHAT', first), partnerEventId('WEB_CHAT', second)].sort(),
    );
  });

  it('reports a wedged consumer: lag above zero and no progress = not ready, then restarts it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const consumer = await subscribeProbe({
      stallTimeoutMs: 1500,
      watchdogIntervalMs: 200,
      handler: async (e, manager) => {
        calls++;
        await gate;
        await applyProbe(e, manager);
      },
    });
    await h.sendRaw([{ key: 'w', value: JSON.stringify(probe('w', 1)) }]);
    await waitFor('the consumer to be seen as stalled', async () => !(await h.bus.health()).ready, {
      timeoutMs: 30_000,
    });
    await waitFor('a restart', () => consumer.health().restarts >= 1, { timeoutMs: 30_000 });
    expect(calls).toBeGreaterThanOrEqual(1);
    release();
    await waitFor('the event applied', async () => (await h.applied()).length === 1, { timeoutMs: 45_000 });
    await waitFor('ready again', async () => (await h.bus.health()).ready, { timeoutMs: 30_000 });
    expect((await h.bus.health()).live).toBe(true);
  });
});
