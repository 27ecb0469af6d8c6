import { createTopicsAndWait } from '@crm/events';
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import { integrationEnv } from './env';
import { randomSuffix } from './ids';

/**
 * A kafkajs client for tests. Retries are short on purpose: a dead broker must fail a test
 * in seconds with kafkajs's connection error, not after minutes of backoff.
 */
export function testKafka(overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: `crm-test-${randomSuffix(2)}`,
    brokers: integrationEnv().kafkaBrokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    ...overrides,
  });
}

/** t-<run>-<label>-<random>: tools/test.mjs sweeps leftovers by the run prefix. */
export function randomTopicName(label = 'topic'): string {
  return `t-${integrationEnv().runId}-${label}-${randomSuffix()}`;
}

export const randomGroupId = (label = 'group'): string =>
  `g-${integrationEnv().runId}-${label}-${randomSuffix()}`;

/**
 * Deletes every topic under an EVENT_NAMESPACE prefix: services started by a test provision
 * the whole catalog under the test's namespace.
 */
export async function deleteNamespaceTopics(namespace: string, kafka: Kafka = testKafka()): Promise<void> {
  if (!namespace) throw new Error('refusing to delete topics without a namespace prefix');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

export interface TestTopics {
  admin: Admin;
  create(label?: string, partitions?: number): Promise<string>;
  /** deletes every topic created through this helper */
  cleanup(): Promise<void>;
}

export async function testTopics(kafka: Kafka = testKafka()): Promise<TestTopics> {
  const admin = kafka.admin();
  await admin.connect();
  const created: string[] = [];
  return {
    admin,
    async create(label = 'topic', partitions = 3) {
      const topic = randomTopicName(label);
      await createTopicsAndWait(admin, [{ topic, numPartitions: partitions }]);
      created.push(topic);
      return topic;
    },
    async cleanup() {
      try {
        if (created.length) await admin.deleteTopics({ topics: created.splice(0) });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/** One record of a topic as a scan reads it: key, value and headers as text. */
export interface TopicRecord {
  topic: string;
  key: string;
  value: string;
  headers: string;
}

/**
 * Every record of every topic under an EVENT_NAMESPACE prefix (dead letters included), from the
 * first offset to the end as it stands now: what a reader of the cluster's history would get.
 */
export async function namespaceRecords(
  namespace: string,
  kafka: Kafka = testKafka(),
): Promise<TopicRecord[]> {
  if (!namespace) throw new Error('refusing to read topics without a namespace prefix');
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, Map<number, bigint>>();
  try {
    for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(namespace))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      // a partition whose records were all deleted (its start at its end: the partners' topic
      // once consumed, TopicSpec.deleteConsumed) has nothing left to read
      ends.set(
        topic,
        new Map(offsets.map((o) => [o.partition, BigInt(o.high) > BigInt(o.low) ? BigInt(o.high) : 0n])),
      );
    }
  } finally {
    await admin.disconnect();
  }
  const remaining = () =>
    [...ends.values()].some((partitions) => [...partitions.values()].some((high) => high > 0n));
  const records: TopicRecord[] = [];
  if (!remaining()) return records;
  const consumer = kafka.consumer({ groupId: randomGroupId('scan') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...ends.keys()], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('namespaceRecords: the topics were not read in 30 s')),
        30_000,
      );
      void consumer
        .run({
          // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs wants a promise
          eachMessage: async ({ topic, partition, message }) => {
            records.push({
              topic,
              key: message.key?.toString('utf8') ?? '',
              value: message.value?.toString('utf8') ?? '',
              headers: JSON.stringify(
                Object.fromEntries(
                  Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
                ),
              ),
            });
            const partitions = ends.get(topic)!;
            if (BigInt(message.offset) + 1n >= (partitions.get(partition) ?? 0n))
              partitions.set(partition, 0n);
            if (!remaining()) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
