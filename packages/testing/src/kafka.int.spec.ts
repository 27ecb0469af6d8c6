// Smoke test of the Kafka plumbing on the real broker: topic creation through the admin API,
// produce with acks=all, consume through a consumer group, manual offset commit, and a second
// member of the group resuming after the committed offset.
import { type Consumer, type Kafka, type Producer } from 'kafkajs';
import { randomGroupId, testKafka, testTopics, type TestTopics } from './kafka';
import { waitFor } from './wait';

describe('Kafka broker (real)', () => {
  let kafka: Kafka;
  let topics: TestTopics;
  const consumers: Consumer[] = [];
  const producers: Producer[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    topics = await testTopics(kafka);
  });
  afterAll(async () => {
    await Promise.allSettled([...consumers, ...producers].map((c) => c.disconnect()));
    await topics.cleanup();
  });

  it('creates a topic, produces, consumes in a group and resumes from the committed offset', async () => {
    const topic = await topics.create('smoke', 2);
    const metadata = await topics.admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]!.partitions).toHaveLength(2);

    const producer = kafka.producer({ allowAutoTopicCreation: false });
    producers.push(producer);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 3}`, value: `m${i}` })),
    });

    const groupId = randomGroupId('smoke');
    const seen: string[] = [];
    const first = kafka.consumer({ groupId });
    consumers.push(first);
    await first.connect();
    await first.subscribe({ topics: [topic], fromBeginning: true });
    await first.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        await first.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        seen.push(message.value!.toString());
      },
    });
    await waitFor('10 messages consumed and committed', () => seen.length >= 10);
    expect([...seen].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`).sort());

    const committed = await topics.admin.fetchOffsets({ groupId, topics: [topic] });
    // a partition with no commit reports -1
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(total).toBe(10);
    await first.disconnect();

    // a new member of the same group starts after the committed offsets: only new messages
    await producer.send({ topic, acks: -1, messages: [{ key: 'k1', value: 'late' }] });
    await producer.disconnect();
    const resumed: string[] = [];
    const second = kafka.consumer({ groupId });
    consumers.push(second);
    await second.connect();
    await second.subscribe({ topics: [topic], fromBeginning: true });
    await second.run({
      eachMessage: ({ message }) => {
        resumed.push(message.value!.toString());
        return Promise.resolve();
      },
    });
    await waitFor('the late message', () => resumed.includes('late'));
    expect(resumed).toEqual(['late']);
  });
});
