import { ConfigSource, type Admin } from 'kafkajs';
import {
  createTopicsAndWait,
  declaredTopics,
  prefixedCatalog,
  provisionTopics,
  TOPIC_CATALOG,
  topicForEventType,
} from './catalog';
import { EVENT_DOMAINS, EVENT_TYPES } from './generated/schemas.generated';

/** An in-memory stand-in for the admin API calls provisionTopics makes (unit tier: no broker). */
type ConfigEntry = { name: string; value: string };

function fakeAdmin(initial: Record<string, number> = {}) {
  const topics = new Map(Object.entries(initial));
  /** each topic's own settings, as a broker keeps them */
  const configs = new Map<string, ConfigEntry[]>();
  const calls: string[] = [];
  const admin = {
    listTopics: () => Promise.resolve([...topics.keys()]),
    createTopics: ({
      topics: list,
    }: {
      topics: { topic: string; numPartitions: number; configEntries: ConfigEntry[] }[];
    }) => {
      calls.push(`create ${list.map((t) => t.topic).join(',')}`);
      for (const t of list) topics.set(t.topic, t.numPartitions);
      for (const t of list) configs.set(t.topic, t.configEntries);
      return Promise.resolve(true);
    },
    describeConfigs: ({ resources }: { resources: { name: string }[] }) =>
      Promise.resolve({
        resources: resources.map((r) => ({
          resourceName: r.name,
          configEntries: [
            ...(configs.get(r.name) ?? []).map((e) => ({
              configName: e.name,
              configValue: e.value,
              configSource: ConfigSource.TOPIC_CONFIG,
            })),
            // a broker-wide setting, which stays the broker's
            {
              configName: 'segment.bytes',
              configValue: '1073741824',
              configSource: ConfigSource.DEFAULT_CONFIG,
            },
          ],
        })),
      }),
    alterConfigs: ({ resources }: { resources: { name: string; configEntries: ConfigEntry[] }[] }) => {
      calls.push(`alter ${resources.map((r) => r.name).join(',')}`);
      // AlterConfigs replaces the topic's whole configuration
      for (const r of resources) configs.set(r.name, r.configEntries);
      return Promise.resolve();
    },
    fetchTopicMetadata: ({ topics: names }: { topics: string[] }) =>
      Promise.resolve({
        // a settled broker: every partition has its leader
        topics: names.map((name) => ({
          name,
          partitions: Array.from({ length: topics.get(name) ?? 0 }, (_, i) => ({
            partitionId: i,
            leader: 1,
          })),
        })),
      }),
    createPartitions: ({ topicPartitions }: { topicPartitions: { topic: string; count: number }[] }) => {
      calls.push(`grow ${topicPartitions.map((t) => t.topic).join(',')}`);
      for (const t of topicPartitions) topics.set(t.topic, t.count);
      return Promise.resolve(true);
    },
  };
  return { admin: admin as unknown as Admin, topics, configs, calls };
}

describe('topic catalog', () => {
  it('routes every event type to exactly one envelope topic of its domain', () => {
    for (const type of EVENT_TYPES.filter((t) => EVENT_DOMAINS[t] !== 'partner')) {
      const spec = topicForEventType(type);
      expect(spec.format).toBe('envelope');
      expect(spec.domain).toBe(EVENT_DOMAINS[type]);
      expect(spec.name).toMatch(/^crm\.[a-z]+\.(events|messages)\.v1$/);
    }
    expect(topicForEventType('ClaimOpened').name).toBe('crm.claims.events.v1');
    // a bot turn's messages have a topic of their own; the domain's other events stay together
    expect(topicForEventType('MessageRecorded').name).toBe('crm.conversation.messages.v1');
    expect(topicForEventType('ParticipantTyping').name).toBe('crm.conversation.messages.v1');
    expect(topicForEventType('IntakeCompleted').name).toBe('crm.conversation.events.v1');
    expect(topicForEventType('ConversationOwnershipChanged').name).toBe('crm.conversation.events.v1');
    expect(topicForEventType('AdvisorAssigned').name).toBe('crm.escalation.events.v1');
    // partner events arrive in the partners' own format; nothing of ours publishes them
    expect(() => topicForEventType('CALL_REQUESTED')).toThrow(/EVENT.UNKNOWN_TOPIC/);
  });

  it('takes a stream out of its domain topic only for types of that domain, each in one stream', () => {
    const streams = TOPIC_CATALOG.topics.filter((t) => t.types);
    expect(streams.length).toBeGreaterThan(0);
    const listed = streams.flatMap((t) => t.types ?? []);
    expect(new Set(listed).size).toBe(listed.length);
    for (const t of streams) {
      for (const type of t.types ?? []) expect(EVENT_DOMAINS[type]).toBe(t.domain);
      // the domain keeps its topic for the rest
      expect(TOPIC_CATALOG.topics.some((d) => d.domain === t.domain && !d.types)).toBe(true);
    }
    // a prefixed catalog (tests, the chaos run) routes the same way
    expect(topicForEventType('MessageRecorded', prefixedCatalog('x-')).name).toBe(
      'x-crm.conversation.messages.v1',
    );
  });

  it('declares a dead-letter topic beside every topic, and the partner inbound topic', () => {
    const names = declaredTopics(TOPIC_CATALOG).map((t) => t.name);
    for (const t of TOPIC_CATALOG.topics) expect(names).toContain(`${t.name}.dlq`);
    expect(names).toContain('crm.partner.inbound.v1');
    expect(new Set(names).size).toBe(names.length);
  });

  it('provisions idempotently: creates what is missing, grows partitions, never recreates', async () => {
    const catalog = prefixedCatalog('x-');
    const { admin, topics, calls } = fakeAdmin({ 'x-crm.claims.events.v1': 3 });
    const first = await provisionTopics(admin, catalog);
    expect(first.grown).toEqual(['x-crm.claims.events.v1']);
    expect(topics.get('x-crm.claims.events.v1')).toBe(12);
    expect(first.created).toHaveLength(declaredTopics(catalog).length - 1);
    const second = await provisionTopics(admin, catalog);
    expect(second.created).toEqual([]);
    expect(second.grown).toEqual([]);
    expect(second.retentionSet).toEqual([]);
    expect(calls).toHaveLength(3);
  });

  it("keeps partners' messages, in clear as they sent them, 3 days, and their dead letters 14", () => {
    const partner = TOPIC_CATALOG.topics.find((t) => t.format === 'partner')!;
    expect(partner.retentionMs).toBe(3 * 86_400_000);
    expect(partner.dlq.retentionMs).toBe(14 * 86_400_000);
  });

  it("sets the catalog's retention on a topic made with another, keeping its other settings", async () => {
    const catalog = prefixedCatalog('r-');
    const partner = catalog.topics.find((t) => t.format === 'partner')!;
    const { admin, configs, calls } = fakeAdmin({ [partner.name]: 6 });
    // made when partners' messages were kept 14 days
    configs.set(partner.name, [
      { name: 'retention.ms', value: String(14 * 86_400_000) },
      { name: 'min.insync.replicas', value: '2' },
    ]);
    const result = await provisionTopics(admin, catalog);
    expect(result.retentionSet).toEqual([partner.name]);
    expect(configs.get(partner.name)).toEqual([
      { name: 'min.insync.replicas', value: '2' },
      { name: 'retention.ms', value: String(3 * 86_400_000) },
    ]);
    expect(calls.filter((c) => c.startsWith('alter'))).toEqual([`alter ${partner.name}`]);
    // set once: the next boot changes nothing
    expect((await provisionTopics(admin, catalog)).retentionSet).toEqual([]);
  });
});

describe('createTopicsAndWait', () => {
  const admin = (answers: (() => unknown)[]) => {
    let n = 0;
    return {
      createTopics: () => Promise.resolve(true),
      fetchTopicMetadata: () => {
        const answer = answers[Math.min(n++, answers.length - 1)]!;
        return Promise.resolve().then(answer);
      },
      calls: () => n,
    };
  };
  const unknown = () => {
    throw Object.assign(new Error('This server does not host this topic-partition'), {
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  };
  const leaderless = () => ({ topics: [{ name: 't', partitions: [{ partitionId: 0, leader: -1 }] }] });
  const settled = () => ({ topics: [{ name: 't', partitions: [{ partitionId: 0, leader: 1 }] }] });

  it('waits through the moments a KRaft broker does not know the new topic yet', async () => {
    const a = admin([unknown, unknown, leaderless, settled]);
    await createTopicsAndWait(a as unknown as Admin, [{ topic: 't' }], { intervalMs: 1 });
    expect(a.calls()).toBe(4);
  });

  it('fails on any other error, and after its deadline', async () => {
    const broken = admin([
      () => {
        throw new Error('connection refused');
      },
    ]);
    await expect(
      createTopicsAndWait(broken as unknown as Admin, [{ topic: 't' }], { intervalMs: 1 }),
    ).rejects.toThrow('connection refused');
    const never = admin([leaderless]);
    await expect(
      createTopicsAndWait(never as unknown as Admin, [{ topic: 't' }], { timeoutMs: 20, intervalMs: 1 }),
    ).rejects.toThrow(/without a leader after 20 ms: t/);
  });
});
