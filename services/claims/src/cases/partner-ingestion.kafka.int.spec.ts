// The claims service on the real Kafka broker, started with KAFKA_BROKERS and a namespace of
// its own (private topics and consumer groups): partner messages produced by a plain kafkajs
// producer in the partner's format become a case and its journal, read back through the
// claims GraphQL API; malformed ones are dead-lettered while the consumer goes on; a claim
// with injuries reaches the topic the escalation service consumes.
import { Writable } from 'node:stream';
import { KafkaTransport, partnerEventId, topicForEventType } from '@crm/events';
import { createLogger } from '@crm/logging';
import { startService, vaultOf, type RunningService } from '@crm/subgraph';
import {
  callSubgraph,
  createTestDatabase,
  deleteNamespaceTopics,
  integrationEnv,
  randomSuffix,
  type TestDatabase,
  testKafka,
  type TypedDocumentNode,
  waitFor,
  TEST_INTERNAL_KEYS,
} from '@crm/testing';
import { envSchema } from '../env';
import { claimsService } from '../service';
import { declaration, OPEN_CLAIM } from '../../test/harness';
import { graphql } from '../../test/generated';
import { partnerMessage } from '../../test/partner';
import { listDeadLetters, replayDeadLetters } from '../cli/dead-letters';
import { openDeadLetter } from './partner-dead-letters';
import { partnerInboundTopic } from './partner.consumer';

let db: TestDatabase;
let service: RunningService;
let namespace: string;

beforeAll(async () => {
  const { kafkaBrokers, runId } = integrationEnv();
  namespace = `t-${runId}-claims-partner-${randomSuffix(3)}.`;
  db = await createTestDatabase('claims_partner_kafka');
  const env = envSchema.parse({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'error',
    DATABASE_URL: db.url,
    INTERNAL_TOKEN_PUBLIC_KEY: TEST_INTERNAL_KEYS.publicKey,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    EVENT_NAMESPACE: namespace,
  });
  service = await startService(claimsService(), {
    env,
    logger: createLogger({
      service: 'claims',
      level: 'error',
      destination: new Writable({ write: (_c, _e, cb) => cb() }),
    }),
  });
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await db?.drop();
  await deleteNamespaceTopics(namespace);
}, 60_000);

/** A typed document (test/generated) gives the result's and the variables' types. */
async function gql<T, V>(document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
  const target = { url: service.url, subgraph: 'claims' };
  const res = await callSubgraph(target, document, variables, { sub: 'adv-1', roles: ['advisor'] });
  if (res.errors) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data!;
}

const LEAD_CASES = graphql(`
  query LeadCasesWithJournal($email: String!) {
    casesByLead(email: $email) {
      id
      status
      confidenceScore
      events {
        edges {
          node {
            id
            type
            source
            sourceId
          }
        }
      }
    }
  }
`);

it('ingests a partner message produced on the real inbound topic into a case and its journal', async () => {
  const email = `kafka-${randomSuffix()}@example.fr`;
  const message = partnerMessage('AUDIT_COMPLETED', { email });
  const topic = partnerInboundTopic(service.runtime);
  expect(topic).toBe(`${namespace}crm.partner.inbound.v1`);

  const producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: email, value: JSON.stringify(message) }] });
  } finally {
    await producer.disconnect();
  }

  const found = await waitFor(
    'the case to appear through GraphQL',
    async () => {
      const data = await gql(LEAD_CASES, { email });
      return data.casesByLead.length > 0 ? data.casesByLead : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 250 },
  );
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({ status: 'AUDIT_DONE', confidenceScore: 85 });
  expect(found[0]!.events.edges.map((e) => e.node)).toEqual([
    {
      id: partnerEventId('WEB_CHAT', message.source_id),
      type: 'AUDIT_COMPLETED',
      source: 'WEB_CHAT',
      sourceId: message.source_id,
    },
  ]);
}, 90_000);

/** Every message on `topic` from the beginning, read by a plain consumer in a group of its own. */
async function readTopic(
  topic: string,
  until: (messages: { value: string; headers: Record<string, string> }[]) => boolean,
) {
  const consumer = testKafka().consumer({ groupId: `${namespace}reader-${randomSuffix()}` });
  const seen: { value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [
            k,
            Buffer.isBuffer(v) ? v.toString() : String(v),
          ]),
        );
        seen.push({ value: message.value?.toString() ?? '', headers });
        return Promise.resolve();
      },
    });
    await waitFor(`the expected messages on ${topic}`, () => until(seen), {
      timeoutMs: 45_000,
      intervalMs: 200,
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

it('dead-letters malformed partner messages and goes on with the next valid one', async () => {
  const topic = partnerInboundTopic(service.runtime);
  const email = `after-poison-${randomSuffix()}@example.fr`;
  const valid = partnerMessage('CALL_REQUESTED', { email });
  const { email: _dropped, ...withoutEmail } = partnerMessage('AUDIT_COMPLETED', { email: 'x@example.fr' });
  const producer = testKafka().producer();
  await producer.connect();
  try {
    // same key for all three: the valid one sits behind the poison in the same partition
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: email, value: '{ not json' },
        { key: email, value: JSON.stringify(withoutEmail) },
        { key: email, value: JSON.stringify(valid) },
      ],
    });
  } finally {
    await producer.disconnect();
  }

  const cases = await waitFor(
    'the valid message behind the malformed ones to become a case',
    async () => {
      const data = await gql(LEAD_CASES, { email });
      return data.casesByLead.length > 0 ? data.casesByLead : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 250 },
  );
  expect(cases[0]!.status).toBe('CALL_REQUESTED');

  const dead = await readTopic(`${topic}.dlq`, (m) => m.length >= 2);
  // sealed on the topic (the partner's e-mail is nowhere in clear), opened by claims' vault
  expect(dead.map((m) => m.value).join('\n')).not.toContain('@example.fr');
  const opened = await Promise.all(
    dead.map((m) =>
      openDeadLetter(vaultOf(service.runtime), { key: null, value: m.value, headers: m.headers }),
    ),
  );
  expect(opened.map((o) => (o === 'erased' ? o : o.value))).toEqual(
    expect.arrayContaining(['{ not json', JSON.stringify(withoutEmail)]),
  );
  for (const m of dead) {
    expect(m.headers['dlq-original-topic']).toBe(topic);
    expect(m.headers['dlq-original-offset']).toMatch(/^\d+$/);
    expect(m.headers['dlq-error-code']).toMatch(/^EVENT\./);
  }
}, 120_000);

it("lists the partners' dead letters without a word of the person, and replays one as the partner sent it", async () => {
  const spec = service.runtime.events.catalog.topics.find((t) => t.format === 'partner')!;
  const email = `replay-${randomSuffix()}@example.fr`;
  const producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic: spec.name,
      acks: -1,
      messages: [{ key: email, value: `{ broken ${email}` }],
    });
  } finally {
    await producer.disconnect();
  }
  const kafka = new KafkaTransport({
    brokers: integrationEnv().kafkaBrokers,
    clientId: `dl-${randomSuffix(2)}`,
  });
  const vault = vaultOf(service.runtime);
  try {
    const mine = async () => {
      const letters = await kafka.readTopic(spec.dlq.name, `${namespace}dl-${randomSuffix()}`);
      const opened = await Promise.all(
        letters.map(async (m) => ({
          position: `${m.partition}:${m.offset}`,
          record: await openDeadLetter(vault, {
            key: m.key,
            value: m.value?.toString() ?? '',
            headers: m.headers,
          }),
        })),
      );
      return opened.filter((o) => o.record !== 'erased' && o.record.value === `{ broken ${email}`);
    };
    const [letter] = await waitFor(
      'the dead letter',
      async () => ((await mine()).length ? mine() : undefined),
      {
        timeoutMs: 45_000,
        intervalMs: 500,
      },
    );
    const lines = await listDeadLetters(kafka, vault, spec, namespace);
    expect(lines.find((l) => l.position === letter!.position)).toMatchObject({
      code: 'EVENT.MALFORMED',
      sealedUnder: 'person',
      readable: true,
    });
    expect(JSON.stringify(lines)).not.toContain('@');

    const result = await replayDeadLetters(kafka, vault, spec, [letter!.position, '0:999999'], namespace);
    expect(result).toEqual({ replayed: [letter!.position], erased: [], missing: ['0:999999'] });
    // still broken: applied again, dead-lettered again, the record whole with where it came from
    const again = await waitFor(
      'the replayed letter',
      async () => {
        const found = await mine();
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    const replayed = again.find((o) => o.position !== letter!.position)!.record;
    expect(replayed).toMatchObject({
      key: email,
      value: `{ broken ${email}`,
      headers: { 'crm-replayed-from': `${spec.dlq.name}/${letter!.position}` },
    });
  } finally {
    await kafka.close();
  }
}, 120_000);

it('publishes ClaimEscalationRequested on the real claims topic for a claim with injuries', async () => {
  const { openClaim } = await gql(OPEN_CLAIM, { input: declaration({ injuries: true }) });
  expect(openClaim.status).toBe('ESCALATED');
  const claimsTopic = topicForEventType('ClaimEscalationRequested', service.runtime.events.catalog).name;
  expect(claimsTopic.startsWith(namespace)).toBe(true);
  const messages = await readTopic(claimsTopic, (m) =>
    m.some((x) => x.headers['event-type'] === 'ClaimEscalationRequested' && x.value.includes(openClaim.id)),
  );
  const requested = messages
    .filter((x) => x.headers['event-type'] === 'ClaimEscalationRequested')
    .map(
      (x) =>
        JSON.parse(x.value) as { subject: string; data: { injuries: boolean; triggers: { code: string }[] } },
    )
    .filter((e) => e.subject === openClaim.id);
  expect(requested).toHaveLength(1);
  expect(requested[0]!.data.injuries).toBe(true);
  expect(requested[0]!.data.triggers.map((t) => t.code)).toContain('INJURIES');
}, 120_000);
