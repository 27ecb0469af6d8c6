import { ConfigResourceTypes, ConfigSource, type Admin, type ITopicConfig } from 'kafkajs';
import { EventError } from './errors';
import { EVENT_DOMAINS, type EventType } from './generated/schemas.generated';
import { type WireFormat } from './schema/validation';

export interface TopicSpec {
  name: string;
  /**
   * producing domain; every event type of that domain (EVENT_DOMAINS) goes to this topic, but
   * those another topic of the domain names in its `types`
   */
  domain: string;
  /**
   * Only these types of the domain, taken out of the domain's topic: a stream that most of the
   * domain's readers do not want (a consumer fetches every record of a topic it reads, even those
   * it skips). Absent: the domain's topic.
   */
  types?: readonly EventType[];
  partitions: number;
  retentionMs: number;
  /** envelope: our own events; partner: partner systems' own format (partner-inbound.v1.json) */
  format: WireFormat;
  dlq: { name: string; partitions: number; retentionMs: number };
  /**
   * Its records are deleted once its one consumer group has committed them (EventConsumer,
   * every SubscribeOptions.deleteConsumedEveryMs): for what third parties write in clear, which
   * the CRM keeps sealed once it has read it. One group only (subscriptions.spec.ts checks it).
   */
  deleteConsumed: boolean;
}

export interface TopicCatalog {
  topics: readonly TopicSpec[];
}

const DAY = 24 * 3600 * 1000;

function topic(
  domain: string,
  partitions: number,
  retentionDays: number,
  format: WireFormat = 'envelope',
  dlqRetentionDays = 30,
  deleteConsumed = false,
  stream?: { name: string; types: readonly EventType[] },
): TopicSpec {
  const name = stream
    ? `crm.${domain}.${stream.name}.v1`
    : format === 'partner'
      ? `crm.${domain}.inbound.v1`
      : `crm.${domain}.events.v1`;
  // dead letters wait for a human: keep them longer than the source topic
  return {
    name,
    domain,
    partitions,
    retentionMs: retentionDays * DAY,
    format,
    dlq: { name: dlqTopicOf(name), partitions: 1, retentionMs: dlqRetentionDays * DAY },
    deleteConsumed,
    ...(stream ? { types: stream.types } : {}),
  };
}

/** A stream taken out of its domain's topic: only `types` go to it (crm.<domain>.<name>.v1). */
const stream = (
  domain: string,
  name: string,
  types: readonly EventType[],
  partitions: number,
  retentionDays: number,
): TopicSpec => topic(domain, partitions, retentionDays, 'envelope', 30, false, { name, types });

export const dlqTopicOf = (name: string): string => `${name}.dlq`;

/** The one declared list of topics. Partitions bound the parallelism of a consumer group. */
export const TOPIC_CATALOG: TopicCatalog = {
  topics: [
    topic('identity', 6, 14),
    topic('claims', 12, 14),
    topic('conversation', 6, 7),
    // what a conversation says as it happens, two messages a bot turn: only the live feed reads
    // it, and the four groups reading the domain's topic for its rare events (intake, handoff,
    // ownership, erasure) no longer fetch every message to skip it (docs/events.md, Topic catalog)
    stream('conversation', 'messages', ['MessageRecorded', 'MessageAudioReady', 'ParticipantTyping'], 6, 7),
    topic('reimbursement', 6, 30),
    topic('escalation', 6, 7),
    // partners' messages are as they sent them, personal data in clear (our own events carry it
    // sealed): deleted once claims has journaled them (sealed), else kept only as long as a
    // replay after an outage needs; their dead letters as long as a human needs to fix one
    // (docs/privacy.md, Events)
    topic('partner', 6, 3, 'partner', 14, true),
    topic('diagnostic', 6, 1),
  ],
};

/** A catalog with every topic renamed (tests and the chaos run keep to their own topics). */
export function prefixedCatalog(prefix: string, catalog: TopicCatalog = TOPIC_CATALOG): TopicCatalog {
  return {
    topics: catalog.topics.map((t) => ({
      ...t,
      name: `${prefix}${t.name}`,
      dlq: { ...t.dlq, name: dlqTopicOf(`${prefix}${t.name}`) },
    })),
  };
}

export function topicForEventType(type: EventType, catalog: TopicCatalog = TOPIC_CATALOG): TopicSpec {
  const domain = EVENT_DOMAINS[type];
  const envelope = catalog.topics.filter((t) => t.domain === domain && t.format === 'envelope');
  const spec = envelope.find((t) => t.types?.includes(type)) ?? envelope.find((t) => !t.types);
  if (!spec) throw new EventError('EVENT.UNKNOWN_TOPIC', `no topic in the catalog for ${type} (${domain})`);
  return spec;
}

export function topicSpec(name: string, catalog: TopicCatalog = TOPIC_CATALOG): TopicSpec | undefined {
  return catalog.topics.find((t) => t.name === name);
}

/** Every topic the catalog declares, dead letters included, with its settings. */
export function declaredTopics(
  catalog: TopicCatalog,
): { name: string; partitions: number; retentionMs: number }[] {
  return catalog.topics.flatMap((t) => [
    { name: t.name, partitions: t.partitions, retentionMs: t.retentionMs },
    { name: t.dlq.name, partitions: t.dlq.partitions, retentionMs: t.dlq.retentionMs },
  ]);
}

export interface ProvisionResult {
  created: string[];
  grown: string[];
  unchanged: string[];
  /** existing topics whose retention differed from the catalog's, set to it */
  retentionSet: string[];
}

/** Metadata answers that only mean "not settled yet" right after a topic was created. */
const UNSETTLED = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates topics (an existing one is not an error) and waits until every partition has a
 * leader in the broker's metadata. kafkajs's own waitForLeaders retries LEADER_NOT_AVAILABLE
 * only; a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION for a moment after the controller
 * created the topic (KAFKA-15780), which failed a producer or an admin call that came next.
 */
export async function createTopicsAndWait(
  admin: Admin,
  topics: ITopicConfig[],
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  if (!topics.length) return;
  try {
    await admin.createTopics({ topics, waitForLeaders: false });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
      const settled = names.every((name) => {
        const partitions = found.find((t) => t.name === name)?.partitions ?? [];
        return partitions.length > 0 && partitions.every((p) => p.leader >= 0);
      });
      if (settled) return;
    } catch (err) {
      if (!UNSETTLED.has((err as { type?: string }).type ?? '')) throw err;
    }
    if (Date.now() > deadline)
      throw new Error(`topics without a leader after ${timeoutMs} ms: ${names.join(', ')}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Creates missing topics and grows partition counts; never deletes or shrinks. Safe to run on
 * every boot and from several replicas at once (a lost creation race is not an error).
 */
export async function provisionTopics(
  admin: Admin,
  catalog: TopicCatalog = TOPIC_CATALOG,
  { replicationFactor = 1 }: { replicationFactor?: number } = {},
): Promise<ProvisionResult> {
  const wanted = declaredTopics(catalog);
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t.name));
  const result: ProvisionResult = { created: [], grown: [], unchanged: [], retentionSet: [] };
  if (missing.length) {
    const topics: ITopicConfig[] = missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor,
      configEntries: [
        { name: 'retention.ms', value: String(t.retentionMs) },
        // acks=all is only as strong as the replicas that must have the write
        { name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) },
      ],
    }));
    await createTopicsAndWait(admin, topics);
    result.created.push(...missing.map((t) => t.name));
  }
  const present = wanted.filter((t) => existing.has(t.name));
  if (present.length) {
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
    const grow = present.filter((t) => {
      const current = metadata.topics.find((m) => m.name === t.name)?.partitions.length ?? 0;
      return current < t.partitions;
    });
    if (grow.length) {
      await admin.createPartitions({
        topicPartitions: grow.map((t) => ({ topic: t.name, count: t.partitions })),
      });
      result.grown.push(...grow.map((t) => t.name));
    }
    result.unchanged.push(...present.filter((t) => !grow.includes(t)).map((t) => t.name));
    result.retentionSet.push(...(await alignRetention(admin, present)));
  }
  return result;
}

/**
 * The catalog's retention on topics made before it changed (a shorter one is how long personal
 * data stays on a topic: docs/privacy.md). AlterConfigs replaces a topic's whole configuration,
 * so the other settings it has are given back as they are.
 */
async function alignRetention(
  admin: Admin,
  topics: readonly { name: string; retentionMs: number }[],
): Promise<string[]> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
  });
  const changed: string[] = [];
  const resources = [];
  for (const t of topics) {
    const entries = described.resources.find((r) => r.resourceName === t.name)?.configEntries ?? [];
    if (entries.find((e) => e.configName === 'retention.ms')?.configValue === String(t.retentionMs)) continue;
    // the topic's own settings (not the broker's defaults), retention.ms replaced
    const own = entries
      .filter(
        (e) =>
          e.configSource === ConfigSource.TOPIC_CONFIG &&
          e.configName !== 'retention.ms' &&
          e.configValue !== null,
      )
      .map((e) => ({ name: e.configName, value: e.configValue }));
    resources.push({
      type: ConfigResourceTypes.TOPIC,
      name: t.name,
      configEntries: [...own, { name: 'retention.ms', value: String(t.retentionMs) }],
    });
    changed.push(t.name);
  }
  if (resources.length) await admin.alterConfigs({ validateOnly: false, resources });
  return changed;
}
