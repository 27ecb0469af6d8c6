// The chaos scenario behind `npm run chaos`: writers commit business rows with their events,
// several relays publish, several consumers apply to a read model, while relays and consumers
// are SIGKILLed at random (or kill themselves at an exact CRM_FAULT point) and the broker is
// restarted. At the end the writers' source of truth is compared with what was applied.
import { randomBytes } from 'node:crypto';
import { openDatabase, dropDatabase, withDatabase } from '@crm/db';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { prefixedCatalog, provisionTopics, topicForEventType, type TopicCatalog } from '../catalog';
import { EVENT_BACKBONE_MIGRATIONS } from '../outbox/migrations';
import { type PrivateBroker } from '@crm/testing';
import { CreateChaosReadModel1763700000002, CreateChaosSource1763700000001 } from './model';
import { kill, spawnWorker, stopWorker, whenReady, type Role, type Worker } from './processes';

export interface ChaosOptions {
  kills: number;
  /** a PostgreSQL URL with the right to create databases */
  pgAdminUrl: string;
  /** the two databases are <databasePrefix>_src and <databasePrefix>_sink, dropped at the end */
  databasePrefix: string;
  broker: PrivateBroker;
  topicPrefix?: string;
  writers?: number;
  relays?: number;
  consumers?: number;
  writerRate?: number;
  /** pause between two kills; the default leaves the group time to rebalance between them */
  killIntervalMs?: [number, number];
  settleTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface ChaosResult {
  committed: number;
  published_distinct: number;
  lost: number;
  phantom: number;
  dup_delivered: number;
  dup_applied: number;
  order_inversions: number;
  dlq: number;
  max_recovery_s: number;
  median_recovery_s: number;
  kills: number;
  fault_kills: number;
  broker_restarts: number;
  converged: boolean;
  duration_s: number;
}

export const chaosPassed = (r: ChaosResult): boolean =>
  r.converged && r.lost === 0 && r.phantom === 0 && r.dup_applied === 0 && r.order_inversions === 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

interface Slot {
  role: Role;
  name: string;
  worker?: Worker;
  /** the running process carries a fault hook */
  armed?: boolean;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const sourceUrl = withDatabase(options.pgAdminUrl, `${options.databasePrefix}_src`);
  const sinkUrl = withDatabase(options.pgAdminUrl, `${options.databasePrefix}_sink`);
  const prefix = options.topicPrefix ?? `chaos-${randomBytes(3).toString('hex')}-`;
  const full = prefixedCatalog(prefix);
  const topic = topicForEventType('BackboneProbe', full);
  const catalog: TopicCatalog = { topics: [topic] };
  const brokers = options.broker.brokers;

  await (
    await openDatabase({
      url: sourceUrl,
      applicationName: 'chaos',
      migrations: [...EVENT_BACKBONE_MIGRATIONS, CreateChaosSource1763700000001],
    })
  ).destroy();
  await (
    await openDatabase({
      url: sinkUrl,
      applicationName: 'chaos',
      migrations: [...EVENT_BACKBONE_MIGRATIONS, CreateChaosReadModel1763700000002],
    })
  ).destroy();
  const kafka = new Kafka({
    clientId: 'chaos-orchestrator',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, maxRetryTime: 3000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  await provisionTopics(admin, catalog);
  await admin.disconnect();

  const env = {
    SOURCE_DB_URL: sourceUrl,
    SINK_DB_URL: sinkUrl,
    KAFKA_BROKERS: brokers.join(','),
    TOPIC_PREFIX: prefix,
    WRITER_RATE: String(options.writerRate ?? 40),
  };
  const slots: Slot[] = [
    ...Array.from({ length: options.writers ?? 2 }, (_, i) => ({
      role: 'writer' as const,
      name: `writer-${i}`,
    })),
    ...Array.from({ length: options.relays ?? 2 }, (_, i) => ({
      role: 'relay' as const,
      name: `relay-${i}`,
    })),
    ...Array.from({ length: options.consumers ?? 2 }, (_, i) => ({
      role: 'consumer' as const,
      name: `consumer-${i}`,
    })),
  ];
  const disruptions: number[] = [];
  let faultKills = 0;
  let killed = 0;
  let faultsArmed = true;
  let shuttingDown = false;
  const external = new WeakSet<Worker>();
  const launches = new Map<Slot, number>();

  const launch = (slot: Slot): Worker => {
    const faultEnv: Record<string, string> = {};
    // half of the restarts arm a fault hook: the process kills itself at the exact dangerous point
    const launch_ = (launches.get(slot) ?? 0) + 1;
    launches.set(slot, launch_);
    if (faultsArmed && slot.role !== 'writer' && launch_ > 1 && Math.random() < 0.5) {
      faultEnv.CRM_FAULT = slot.role === 'relay' ? 'after-kafka-ack' : 'after-db-commit';
      faultEnv.CRM_FAULT_AFTER = String(1 + Math.floor(Math.random() * 100));
    }
    const worker = spawnWorker(slot.role, `${slot.name}.${Date.now().toString(36)}`, { ...env, ...faultEnv });
    slot.worker = worker;
    slot.armed = faultEnv.CRM_FAULT !== undefined;
    void worker.exited.then(async ({ signal, code }) => {
      if (shuttingDown || slot.role === 'writer') return;
      if (signal === 'SIGKILL' && !external.has(worker)) {
        faultKills++;
        disruptions.push(Date.now());
        log(`${worker.id} killed itself at ${faultEnv.CRM_FAULT ?? '?'}`);
      } else if (signal !== 'SIGKILL') {
        log(`${worker.id} exited (${signal ?? `code ${code}`}):\n${worker.stderr().slice(-2000)}`);
      }
      // the supervisor (Kubernetes in production) starts a replacement
      await sleep(300);
      if (!shuttingDown) launch(slot);
    });
    return worker;
  };

  const all = slots.map((slot) => launch(slot));
  await Promise.all(all.map((w) => whenReady(w)));
  log(`started ${slots.length} workers on ${brokers.join(',')}`);

  const brokerRestartAt = Math.floor(options.kills / 2);
  let brokerRestarts = 0;
  const restartBroker = async () => {
    log('stopping the broker');
    disruptions.push(Date.now());
    await options.broker.stop();
    await sleep(2000);
    await options.broker.start();
    brokerRestarts++;
    log('broker back');
  };
  for (let i = 0; i < options.kills; i++) {
    await sleep(between(options.killIntervalMs ?? [1500, 3500]));
    if (i === brokerRestartAt) await restartBroker();
    const victims = slots.filter(
      (s) =>
        s.role !== 'writer' &&
        s.worker &&
        s.worker.child.exitCode === null &&
        s.worker.child.signalCode === null,
    );
    const victim = victims[Math.floor(Math.random() * victims.length)];
    if (!victim?.worker) continue;
    external.add(victim.worker);
    disruptions.push(Date.now());
    kill(victim.worker);
    killed++;
    log(`SIGKILL ${victim.worker.id} (${killed}/${options.kills})`);
  }
  if (brokerRestarts === 0) await restartBroker();
  await sleep(1000);

  // stop writing, disarm the fault hooks, and wait for the backlog to drain
  faultsArmed = false;
  await Promise.all(slots.filter((s) => s.role === 'writer').map((s) => stopWorker(s.worker!)));
  for (const slot of slots) {
    if (
      slot.armed &&
      slot.worker &&
      slot.worker.child.exitCode === null &&
      slot.worker.child.signalCode === null
    ) {
      // a process still armed with a fault hook would die again during the settle phase
      external.add(slot.worker);
      kill(slot.worker);
    }
  }
  const source = new pg.Client({ connectionString: sourceUrl });
  const sink = new pg.Client({ connectionString: sinkUrl });
  await source.connect();
  await sink.connect();
  let converged = false;
  try {
    const committedCount = Number(
      (await source.query<{ n: string }>('select count(*) as n from chaos_orders')).rows[0]!.n,
    );
    const deadline = Date.now() + (options.settleTimeoutMs ?? 120_000);
    while (Date.now() < deadline) {
      const pending = Number(
        (await source.query<{ n: string }>('select count(*) as n from event_outbox where sent_at is null'))
          .rows[0]!.n,
      );
      const applied = Number(
        (await sink.query<{ n: string }>('select count(distinct event_id) as n from chaos_applied')).rows[0]!
          .n,
      );
      if (pending === 0 && applied >= committedCount) {
        converged = true;
        break;
      }
      log(`settling: ${pending} unsent, ${applied}/${committedCount} applied`);
      await sleep(1000);
    }
    shuttingDown = true;
    await Promise.all(slots.map((s) => (s.worker ? stopWorker(s.worker) : Promise.resolve())));

    const committed = new Set<string>(
      (await source.query('select event_id from chaos_orders')).rows.map(
        (r: { event_id: string }) => r.event_id,
      ),
    );
    const appliedRows = (await sink.query('select event_id from chaos_applied')).rows as {
      event_id: string;
    }[];
    const applied = new Set(appliedRows.map((r) => r.event_id));
    const inversions = Number(
      (await sink.query<{ n: string }>('select count(*) as n from chaos_inversions')).rows[0]!.n,
    );
    let maxRecovery = 0;
    const recoveries: number[] = [];
    for (const t0 of disruptions) {
      const r = (
        await sink.query(
          'select max(applied_at_ms - committed_at_ms) as worst from chaos_applied where committed_at_ms between $1 and $2',
          [t0, t0 + 1000],
        )
      ).rows[0] as { worst: number | null };
      maxRecovery = Math.max(maxRecovery, (r.worst ?? 0) / 1000);
      if (r.worst !== null) recoveries.push(r.worst / 1000);
    }
    const log_ = await readTopic(kafka, topic.name);
    const dlq = await countMessages(kafka, topic.dlq.name);
    const published = new Set(log_);
    return {
      committed: committed.size,
      published_distinct: published.size,
      lost: [...committed].filter((id) => !applied.has(id)).length,
      phantom: [...applied, ...published].filter((id) => !committed.has(id)).length,
      dup_delivered: log_.length - published.size,
      dup_applied: appliedRows.length - applied.size,
      order_inversions: inversions,
      dlq,
      max_recovery_s: Math.round(maxRecovery * 100) / 100,
      median_recovery_s:
        Math.round((recoveries.sort((a, b) => a - b)[Math.floor(recoveries.length / 2)] ?? 0) * 100) / 100,
      kills: killed,
      fault_kills: faultKills,
      broker_restarts: brokerRestarts,
      converged,
      duration_s: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    shuttingDown = true;
    await Promise.all(slots.map((s) => (s.worker ? stopWorker(s.worker, 3000) : Promise.resolve())));
    await source.end();
    await sink.end();
    await dropDatabase(sourceUrl).catch(() => undefined);
    await dropDatabase(sinkUrl).catch(() => undefined);
  }
}

async function countMessages(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every event id in the topic, duplicates included (a fresh group reads it from the start). */
async function readTopic(kafka: Kafka, topic: string): Promise<string[]> {
  const total = await countMessages(kafka, topic);
  const ids: string[] = [];
  if (!total) return ids;
  const consumer = kafka.consumer({
    groupId: `chaos-audit-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${ids.length}/${total} messages of ${topic}`)),
        60_000,
      );
      void consumer.run({
        eachBatch: ({ batch }) => {
          for (const m of batch.messages)
            ids.push((JSON.parse(m.value!.toString('utf8')) as { id: string }).id);
          if (ids.length >= total) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return ids;
}
