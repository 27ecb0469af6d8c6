import { type Logger } from '@crm/logging';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type KafkaConfig,
  type LogEntry,
  type Producer,
  type RetryOptions,
} from 'kafkajs';
import { kafkajsLevel } from './kafka-log';
import { provisionTopics, type TopicCatalog } from '../catalog';
import {
  type ConsumeOptions,
  type DeliveredMessage,
  type OutgoingRecord,
  type Transport,
  type TransportSubscription,
} from './transport';
import { fixKafkajsIdleLoop } from './kafkajs-idle-fix';

// every kafkajs client of this process: no 1 ms timer per idle connection (kafkajs-idle-fix.ts)
fixKafkajsIdleLoop();

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /** overrides for the kafkajs client (tests shorten timeouts) */
  kafka?: Partial<KafkaConfig>;
  replicationFactor?: number;
  /** partitions of one consumer processed at the same time */
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  /**
   * How long the broker holds an idle consumer's fetch (default 1000 ms). It answers as soon as
   * a record arrives, so this bounds how often an idle consumer asks, not how late it hears.
   */
  maxWaitTimeMs?: number;
}

/**
 * Production retry policy: about a minute of exponential backoff before an operation fails,
 * which rides out a broker restart or a leader election without hammering the cluster.
 */
export const PRODUCTION_RETRY: RetryOptions = {
  initialRetryTime: 300,
  maxRetryTime: 10_000,
  retries: 10,
  factor: 0.2,
  multiplier: 2,
};

/** How often readTopicsToEnd looks for partitions trimmed past their end while it reads. */
const TRIMMED_CHECK_MS = 1000;

const withTimeout = async <T>(promise: Promise<T>, ms: number): Promise<T | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === undefined) continue;
    const first: unknown = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(first)
      ? first.toString('utf8')
      : typeof first === 'string'
        ? first
        : JSON.stringify(first);
  }
  return out;
}

export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  readonly durable = true;
  readonly kafka: Kafka;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private readonly subscriptions = new Set<TransportSubscription>();

  constructor(private readonly options: KafkaTransportOptions) {
    const log = options.logger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3000,
      requestTimeout: 30_000,
      retry: PRODUCTION_RETRY,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }: LogEntry) => {
          if (!log) return;
          const { message, ...rest } = entry;
          log[kafkajsLevel(level, message, rest.error)]({ kafkajs: rest }, message);
        },
      ...options.kafka,
    });
  }

  async provision(catalog: TopicCatalog): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await provisionTopics(admin, catalog, { replicationFactor: this.options.replicationFactor ?? 1 });
    } finally {
      await admin.disconnect();
    }
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      // one request in flight: a retried batch can never overtake a later one (per-key order)
      const producer = this.kafka.producer({
        allowAutoTopicCreation: false,
        maxInFlightRequests: 1,
        idempotent: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      try {
        await producer.connect();
      } catch (err) {
        await producer.disconnect().catch(() => undefined);
        throw err;
      }
      this.producer = producer;
      return producer;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async send(records: OutgoingRecord[]): Promise<void> {
    if (!records.length) return;
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const r of records) {
      const list = byTopic.get(r.topic);
      if (list) list.push(r);
      else byTopic.set(r.topic, [r]);
    }
    const producer = await this.getProducer();
    try {
      await producer.sendBatch({
        acks: -1,
        timeout: 30_000,
        topicMessages: [...byTopic].map(([topic, rs]) => ({
          topic,
          messages: rs.map((r) => ({ key: r.key, value: r.value, headers: r.headers ?? {} })),
        })),
      });
    } catch (err) {
      // a producer that lost its broker can stay wedged: start from a fresh one next time
      if (this.producer === producer) this.producer = undefined;
      void producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async subscribe(options: ConsumeOptions): Promise<TransportSubscription> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    let consumer: Consumer | undefined;
    let running = true;
    let crashes = 0;
    // crashes since the last committed batch: spaces our restarts out when kafkajs crash-loops
    let crashStreak = 0;
    let restarting: Promise<void> | undefined;
    /** true once the consumer has joined its group and received its partitions */
    let joined = false;
    const log = this.options.logger;

    const start = async (): Promise<void> => {
      const c = this.kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: Math.min(3000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
        rebalanceTimeout: this.options.rebalanceTimeoutMs ?? 60_000,
        // 250 ms made every idle consumer (about 17 per system) ask four times a second: the
        // system idle cost 290 ms of CPU per second, 113 of them the broker's; 177 at 1000 ms
        maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 1000,
        allowAutoTopicCreation: false,
        retry: PRODUCTION_RETRY,
      });
      consumer = c;
      // holding partitions from each join until a rebalance or a crash takes them away
      c.on(c.events.GROUP_JOIN, () => {
        if (consumer === c) joined = true;
      });
      c.on(c.events.REBALANCING, () => {
        if (consumer === c) joined = false;
      });
      c.on(c.events.CRASH, (event) => {
        if (consumer === c) joined = false;
        crashes++;
        log?.error(
          { groupId: options.groupId, error: event.payload.error.message, restart: event.payload.restart },
          'kafka consumer crashed',
        );
        // kafkajs gives up on non-retriable errors: our own restart policy takes over
        if (!event.payload.restart && running && consumer === c) {
          crashStreak++;
          const delay = Math.min(30_000, 250 * 2 ** Math.min(crashStreak, 7));
          setTimeout(() => {
            if (running && consumer === c) void restart('kafkajs crash without restart');
          }, delay);
        }
      });
      await c.connect();
      await c.subscribe({ topics: options.topics, fromBeginning: true });
      joined = false;
      // Joining the group is not awaited: after a crash the coordinator keeps the dead member
      // until its session times out (sessionTimeoutMs), and a restarted service must not wait
      // that long to serve. Nothing is missed: the group resumes from its committed offsets
      // (a new group from the beginning) once it has joined; `joined` tells the operator.
      const run = c.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
        eachBatch: async (payload) => {
          const { batch } = payload;
          const isRunning = () => payload.isRunning();
          const isStale = () => payload.isStale();
          if (!batch.messages.length || !isRunning() || isStale()) return;
          const messages: DeliveredMessage[] = batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ? m.key.toString('utf8') : null,
            value: m.value,
            headers: headersOf(m.headers),
          }));
          try {
            await options.handleBatch(messages, {
              heartbeat: () => payload.heartbeat(),
              isRunning: () => isRunning() && !isStale(),
            });
          } catch (err) {
            // a rebalance or a stop interrupted the batch: leave it uncommitted and let the
            // partition's next owner (maybe us) fetch it again, without crashing the consumer
            if (!isRunning() || isStale()) return;
            throw err;
          }
          const last = batch.messages[batch.messages.length - 1]!.offset;
          await c.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
          ]);
          payload.resolveOffset(last);
          crashStreak = 0;
          options.onCommitted?.(messages.length);
        },
      });
      void run.then(
        () => undefined,
        (err: unknown) => {
          // kafkajs reports join failures as crashes; a rejected run() is anything else
          log?.error(
            { groupId: options.groupId, error: (err as Error).message },
            'kafka consumer did not start',
          );
          if (running && consumer === c) void restart('run() rejected');
        },
      );
    };

    const restart = (reason: string): Promise<void> => {
      restarting ??= (async () => {
        log?.warn({ groupId: options.groupId, reason }, 'restarting kafka consumer');
        const old = consumer;
        consumer = undefined;
        if (old) await withTimeout(old.disconnect(), 15_000).catch(() => undefined);
        for (let attempt = 0; running; attempt++) {
          try {
            await start();
            return;
          } catch (err) {
            log?.warn({ groupId: options.groupId, err: (err as Error).message }, 'consumer restart failed');
            await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
          }
        }
      })().finally(() => (restarting = undefined));
      return restarting;
    };

    await start();

    const subscription: TransportSubscription = {
      get crashes() {
        return crashes;
      },
      get joined() {
        return joined;
      },
      lag: async () => {
        try {
          const committed = await withTimeout(
            admin.fetchOffsets({ groupId: options.groupId, topics: options.topics }),
            5000,
          );
          if (!committed) return undefined;
          let total = 0;
          for (const name of options.topics) {
            const ends = await withTimeout(admin.fetchTopicOffsets(name), 5000);
            if (!ends) return undefined;
            const done = committed.find((t) => t.topic === name)?.partitions ?? [];
            for (const p of ends) {
              const c = Number(done.find((d) => d.partition === p.partition)?.offset ?? -1);
              total += Math.max(0, Number(p.high) - Math.max(c, Number(p.low)));
            }
          }
          return total;
        } catch {
          return undefined;
        }
      },
      deleteConsumed: async (names) => {
        const committed = await admin.fetchOffsets({ groupId: options.groupId, topics: [...names] });
        let deleted = 0;
        for (const name of names) {
          const starts = await admin.fetchTopicOffsets(name);
          const done = committed.find((t) => t.topic === name)?.partitions ?? [];
          // a partition the group never committed (offset -1) keeps everything
          const partitions = starts.flatMap((p) => {
            const upTo = Number(done.find((d) => d.partition === p.partition)?.offset ?? -1);
            return upTo > Number(p.low)
              ? [{ partition: p.partition, offset: String(upTo), low: Number(p.low) }]
              : [];
          });
          if (!partitions.length) continue;
          await admin.deleteTopicRecords({
            topic: name,
            partitions: partitions.map(({ partition, offset }) => ({ partition, offset })),
          });
          for (const p of partitions) deleted += Number(p.offset) - p.low;
        }
        return deleted;
      },
      restart,
      stop: async () => {
        running = false;
        await restarting?.catch(() => undefined);
        if (consumer) await withTimeout(consumer.disconnect(), 15_000).catch(() => undefined);
        if (options.ephemeral) {
          // nobody will ever resume this group: leaving it would pile up one per process start
          await withTimeout(admin.deleteGroups([options.groupId]), 5000).catch((err: unknown) =>
            log?.warn(
              { groupId: options.groupId, err: (err as Error).message },
              'could not delete ephemeral group',
            ),
          );
        }
        await withTimeout(admin.disconnect(), 5000).catch(() => undefined);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Every record of `topic` from its first offset to its end as it stands now (a tool's read: the
   * partners' dead letters for an operator): readTopicsToEnd on this client.
   */
  readTopic(topic: string, groupId: string, timeoutMs = 30_000): Promise<DeliveredMessage[]> {
    return readTopicsToEnd(this.kafka, [topic], groupId, timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await withTimeout(producer.disconnect(), 5000).catch(() => undefined);
  }
}

/**
 * Every record of these topics from each partition's first offset to its end as it stands now
 * (a partition whose records were all deleted, before the call or while it reads, has nothing left
 * to read: a trimmed partition is done once its first offset passes its end), by a consumer group of
 * its own, deleted afterwards; ordered by topic, partition and offset. Fails after `timeoutMs`
 * rather than wait for records that never come. What a reader of the cluster's history gets:
 * the operator's dead-letter tool and the tests' scans of a namespace.
 */
export async function readTopicsToEnd(
  kafka: Kafka,
  topics: readonly string[],
  groupId: string,
  timeoutMs = 30_000,
): Promise<DeliveredMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  const at = (topic: string, partition: number) => `${partition}:${topic}`;
  const records: DeliveredMessage[] = [];
  let consumer: Consumer | undefined;
  try {
    for (const topic of topics)
      for (const o of await admin.fetchTopicOffsets(topic))
        if (BigInt(o.high) > BigInt(o.low)) ends.set(at(topic, o.partition), BigInt(o.high));
    if (ends.size === 0) return records;
    consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    const reader = consumer;
    await new Promise<void>((resolve, reject) => {
      // the timers below are set before anything can call done
      const done = (err?: Error) => {
        clearTimeout(timer);
        clearInterval(recheck);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(
        () => done(new Error(`${topics.join(', ')}: not read to the end in ${timeoutMs} ms`)),
        timeoutMs,
      );
      // records deleted after the ends were taken (the partner inbound topic is trimmed once
      // journaled) never arrive: a partition whose first offset has passed its end is done
      const recheck = setInterval(() => {
        void (async () => {
          for (const topic of new Set([...ends.keys()].map((k) => k.slice(k.indexOf(':') + 1))))
            for (const o of await admin.fetchTopicOffsets(topic)) {
              const end = ends.get(at(topic, o.partition));
              if (end !== undefined && BigInt(o.low) >= end) ends.delete(at(topic, o.partition));
            }
          if (ends.size === 0) done();
        })().catch(() => undefined); // the next check, or the timeout, decides
      }, TRIMMED_CHECK_MS);
      reader
        .run({
          autoCommit: false,
          eachMessage: ({ topic, partition, message }) => {
            const end = ends.get(at(topic, partition));
            if (end !== undefined && BigInt(message.offset) < end)
              records.push({
                topic,
                partition,
                offset: message.offset,
                key: message.key?.toString('utf8') ?? null,
                value: message.value,
                headers: headersOf(message.headers),
              });
            if (end !== undefined && BigInt(message.offset) + 1n >= end) ends.delete(at(topic, partition));
            if (ends.size === 0) done();
            return Promise.resolve();
          },
        })
        .catch((err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
    });
  } finally {
    if (consumer) await withTimeout(consumer.disconnect(), 5000).catch(() => undefined);
    if (consumer) await withTimeout(admin.deleteGroups([groupId]), 5000).catch(() => undefined);
    await admin.disconnect();
  }
  return records.sort(
    (a, b) =>
      a.topic.localeCompare(b.topic) ||
      a.partition - b.partition ||
      Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}
