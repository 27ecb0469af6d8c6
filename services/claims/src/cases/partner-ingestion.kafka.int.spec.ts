// The claims service on the real Kafka broker, started with KAFKA_BROKERS and a namespace of
// its own (private topics and consumer groups): partner messages produced by a plain kafkajs
// producer in the partner's format become a case and its journal, read back through the
// claims GraphQL API; malformed ones are dead-lettered while the consumer goes on; a claim
// with injuries reaches the topic the escalation service consumes.
import { Writable } from 'node:stream';
import { partnerEventId, topicForEventType } from '@crm/events';
import { createLogger } from '@crm/logging';
import { startService, type RunningService } from '@crm/subgraph';
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
  expect(dead.map((m) => m.value)).toEqual(
    expect.arrayContaining(['{ not json', JSON.stringify(withoutEmail)]),
  );
  for (const m of dead) {
    expect(m.headers['dlq-original-topic']).toBe(topic);
    expect(m.headers['dlq-original-offset']).toMatch(/^\d+$/);
    expect(m.headers['dlq-error-code']).toMatch(/^EVENT\./);
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
