import { createTopicsAndWait, readTopicsToEnd } from '@crm/events';
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
  let topics: string[];
  try {
    topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
  } finally {
    await admin.disconnect();
  }
  if (topics.length === 0) return [];
  const records = await readTopicsToEnd(kafka, topics, randomGroupId('scan'));
  return records.map((m) => ({
    topic: m.topic,
    key: m.key ?? '',
    value: m.value?.toString('utf8') ?? '',
    headers: JSON.stringify(m.headers),
  }));
}
