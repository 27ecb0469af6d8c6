// npm run bench:events — the event backbone against raw kafkajs, side by side in one run, on
// the real broker (KAFKA_BROKERS, default 127.0.0.1:9092) and PostgreSQL (PG_ADMIN_URL):
//   1. throughput: the outbox relay draining N committed rows vs a raw kafkajs send of the
//      same N messages (same batch size, acks=all); target ratio >= 0.4
//   2. latency: commit -> handler through outbox, relay and idempotent consumer vs a raw
//      kafkajs produce -> eachMessage round trip, at the same pace; target p95 ratio <= 4
import { randomBytes } from 'node:crypto';
import { dropDatabase, openDatabase, withDatabase } from '@crm/db';
import {
  createEventBackbone,
  EVENT_BACKBONE_MIGRATIONS,
  KafkaTransport,
  newEvent,
  Outbox,
  prefixedCatalog,
  provisionTopics,
  type AnyEvent,
  type TopicCatalog,
} from '@crm/events';
import { createLogger } from '@crm/logging';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const pgAdminUrl =
  process.env.PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const BATCH = 500;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 500);
const PACE_MS = 10;

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

const probe = (seq: number, subject: string): AnyEvent =>
  newEvent(
    'BackboneProbe',
    { writer: 'bench', seq, keySeq: seq, sentAtMs: Date.now(), note: 'x'.repeat(200) },
    { source: 'bench', subject, actor: { kind: 'system', id: 'bench' } },
  );

async function main() {
  const run = randomBytes(3).toString('hex');
  const logger = createLogger({ service: 'bench', level: 'warn', destination: process.stderr });
  const kafka = new Kafka({ clientId: `bench-${run}`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const full = prefixedCatalog(`bench-${run}-`);
  const diag = full.topics.find((t) => t.domain === 'diagnostic')!;
  const relayTopic = { ...diag, partitions: 6 };
  const rawTopic = { ...diag, name: `bench-${run}-raw`, dlq: { ...diag.dlq, name: `bench-${run}-raw.dlq` } };
  const catalog: TopicCatalog = { topics: [relayTopic] };
  await provisionTopics(admin, { topics: [relayTopic, rawTopic] });
  const dbUrl = withDatabase(pgAdminUrl, `crm_bench_${run}`);
  const ds = await openDatabase({
    url: dbUrl,
    applicationName: 'bench',
    migrations: EVENT_BACKBONE_MIGRATIONS,
  });
  const transport = new KafkaTransport({ brokers, clientId: `bench-${run}`, logger });
  const bus = await createEventBackbone({
    service: 'bench',
    dataSource: ds,
    transport,
    logger,
    catalog,
    provision: false,
    relay: { batchSize: BATCH, pollIntervalMs: 1000 },
  });
  const outbox = new Outbox(catalog);
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();

  try {
    // ---------- 1. throughput
    const events = Array.from({ length: N }, (_, i) => probe(i, `subject-${i % 500}`));
    const values = events.map((e) => ({ key: e.subject, value: JSON.stringify(e) }));
    say(`raw kafkajs: sending ${N} messages in batches of ${BATCH} (acks=all)`);
    let t0 = performance.now();
    for (let i = 0; i < N; i += BATCH) {
      await producer.send({ topic: rawTopic.name, acks: -1, messages: values.slice(i, i + BATCH) });
    }
    const rawSeconds = (performance.now() - t0) / 1000;

    say(`outbox: committing ${N} rows (not timed), then the relay drains them`);
    for (let i = 0; i < N; i += 1000) {
      await ds.transaction((m) => outbox.publish(m, events.slice(i, i + 1000)));
    }
    t0 = performance.now();
    await bus.relay.start();
    while ((await bus.relay.stats()).pending > 0) await sleep(20);
    const relaySeconds = (performance.now() - t0) / 1000;
    await bus.relay.stop();
    const rawRate = N / rawSeconds;
    const relayRate = N / relaySeconds;

    // ---------- 2. latency, commit -> handler vs produce -> eachMessage
    say(`latency: ${LATENCY_SAMPLES} events one at a time, ${PACE_MS} ms apart, on each path`);
    const ours: number[] = [];
    let handled = 0;
    await bus.relay.start();
    const started = performance.now();
    const consumer_ = await bus.subscribe({
      consumer: `bench-${run}-latency`,
      topics: [relayTopic.name],
      handler: (event) => {
        handled++;
        if (event.type === 'BackboneProbe' && event.data.note === 'latency')
          ours.push(Date.now() - event.data.sentAtMs!);
        return Promise.resolve();
      },
    });
    // the new group first reads the N events of part 1: measure that, and start after it
    while (handled < N) await sleep(20);
    const consumeRate = N / ((performance.now() - started) / 1000);
    say(
      `consumer applied the ${N} backlog events at ${Math.round(consumeRate)} events/s (idempotency row per event)`,
    );
    void consumer_;
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await ds.transaction(async (m) => {
        const e = probe(i, `lat-${i % 50}`);
        if (e.type === 'BackboneProbe') e.data.note = 'latency';
        await outbox.publish(m, e);
      });
      await sleep(PACE_MS);
    }
    const deadline = Date.now() + 60_000;
    while (ours.length < LATENCY_SAMPLES && Date.now() < deadline) await sleep(50);

    const raw: number[] = [];
    const consumer = kafka.consumer({ groupId: `bench-${run}-raw`, maxWaitTimeInMs: 250 });
    await consumer.connect();
    await consumer.subscribe({ topics: [rawTopic.name], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const sent = Number(message.headers?.sent?.toString());
        if (sent) raw.push(Date.now() - sent);
        await consumer.commitOffsets([
          { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
      },
    });
    await sleep(3000);
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      await producer.send({
        topic: rawTopic.name,
        acks: -1,
        messages: [{ key: `lat-${i % 50}`, value: values[i]!.value, headers: { sent: String(Date.now()) } }],
      });
      await sleep(PACE_MS);
    }
    const rawDeadline = Date.now() + 60_000;
    while (raw.length < LATENCY_SAMPLES && Date.now() < rawDeadline) await sleep(50);
    await consumer.disconnect();

    const result = {
      messages: N,
      raw_send_msgs_per_s: Math.round(rawRate),
      relay_msgs_per_s: Math.round(relayRate),
      throughput_ratio: round(relayRate / rawRate),
      throughput_target: '>= 0.4',
      consumer_backlog_events_per_s: Math.round(consumeRate),
      latency_samples: { ours: ours.length, raw: raw.length },
      e2e_p50_ms: percentile(ours, 50),
      e2e_p95_ms: percentile(ours, 95),
      raw_p50_ms: percentile(raw, 50),
      raw_p95_ms: percentile(raw, 95),
      p95_ratio: round(percentile(ours, 95) / Math.max(1, percentile(raw, 95))),
      p95_target: '<= 4',
    };
    console.log('');
    console.log('                         backbone        raw kafkajs     ratio');
    console.log(
      `throughput (msg/s)       ${String(result.relay_msgs_per_s).padEnd(15)} ${String(result.raw_send_msgs_per_s).padEnd(15)} ${result.throughput_ratio} (target >= 0.4)`,
    );
    console.log(
      `latency p50 (ms)         ${String(result.e2e_p50_ms).padEnd(15)} ${String(result.raw_p50_ms).padEnd(15)}`,
    );
    console.log(
      `latency p95 (ms)         ${String(result.e2e_p95_ms).padEnd(15)} ${String(result.raw_p95_ms).padEnd(15)} ${result.p95_ratio} (target <= 4)`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await producer.disconnect();
    await bus.close();
    await transport.close();
    await ds.destroy();
    await dropDatabase(dbUrl);
    await admin
      .deleteTopics({ topics: [relayTopic.name, relayTopic.dlq.name, rawTopic.name, rawTopic.dlq.name] })
      .catch(() => undefined);
    await admin.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
