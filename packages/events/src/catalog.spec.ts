import { type Admin } from 'kafkajs';
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
function fakeAdmin(initial: Record<string, number> = {}) {
  const topics = new Map(Object.entries(initial));
  const calls: string[] = [];
  const admin = {
    listTopics: () => Promise.resolve([...topics.keys()]),
    createTopics: ({ topics: list }: { topics: { topic: string; numPartitions: number }[] }) => {
      calls.push(`create ${list.map((t) => t.topic).join(',')}`);
      for (const t of list) topics.set(t.topic, t.numPartitions);
      return Promise.resolve(true);
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
  return { admin: admin as unknown as Admin, topics, calls };
}

describe('topic catalog', () => {
  it('routes every event type to exactly one envelope topic of its domain', () => {
    for (const type of EVENT_TYPES.filter((t) => EVENT_DOMAINS[t] !== 'partner')) {
      const spec = topicForEventType(type);
      expect(spec.format).toBe('envelope');
      expect(spec.name).toMatch(/^crm\.[a-z]+\.events\.v1$/);
    }
    expect(topicForEventType('ClaimOpened').name).toBe('crm.claims.events.v1');
    expect(topicForEventType('AdvisorAssigned').name).toBe('crm.escalation.events.v1');
    // partner events arrive in the partners' own format; nothing of ours publishes them
    expect(() => topicForEventType('CALL_REQUESTED')).toThrow(/EVENT.UNKNOWN_TOPIC/);
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
    expect(calls).toHaveLength(2);
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
