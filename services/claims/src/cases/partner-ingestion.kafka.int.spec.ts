// The one partner-ingestion test on the real Kafka broker: the claims service started with
// KAFKA_BROKERS and a namespace of its own (private topics and consumer groups), a partner
// message produced by a plain kafkajs producer in the partner's format, the case and its
// journal read back through the claims GraphQL API.
import { Writable } from 'node:stream';
import { mintInternalToken } from '@crm/auth';
import { partnerEventId } from '@crm/events';
import { createLogger } from '@crm/logging';
import { startService, type RunningService } from '@crm/subgraph';
import {
  createTestDatabase,
  integrationEnv,
  randomSuffix,
  testKafka,
  waitFor,
  type TestDatabase,
} from '@crm/testing';
import { envSchema } from '../env';
import { claimsService } from '../service';
import { partnerMessage } from '../testing/partner';
import { partnerInboundTopic } from './partner.consumer';

const SECRET = 'k'.repeat(48);
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
    INTERNAL_TOKEN_SECRET: SECRET,
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
  // the service provisioned the whole catalog under this test's namespace
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}, 60_000);

async function gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(service.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-crm-internal-token': await mintInternalToken({ sub: 'adv-1', roles: ['advisor'] }, 'claims', SECRET),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

interface LeadCases {
  casesByLead: {
    id: string;
    status: string;
    confidenceScore: number | null;
    events: { edges: { node: { id: string; type: string; source: string; sourceId: string } }[] };
  }[];
}

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
      const data = await gql<LeadCases>(
        `query ($email: String!) { casesByLead(email: $email) { id status confidenceScore events { edges { node { id type source sourceId } } } } }`,
        { email },
      );
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
