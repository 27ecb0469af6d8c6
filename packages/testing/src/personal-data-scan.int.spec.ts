// The canary scan on the real PostgreSQL and Kafka: it finds a clear e-mail in a table, a clear
// phone in a Kafka record, a canary in a log line, and nothing in sealed values; what is clear by
// design (the partner inbound topic) is left out. startSystem runs it when a system stops.
import { randomSuffix } from './ids';
import { createTestDatabase, type TestDatabase } from './database';
import { integrationEnv } from './env';
import { deleteNamespaceTopics, testKafka } from './kafka';
import { scanForPersonalData } from './personal-data-scan';
import { createTopicsAndWait } from '@crm/events';
import pg from 'pg';

let db: TestDatabase;
const namespace = `t-${integrationEnv().runId}-scan${randomSuffix(3)}.`;
beforeAll(async () => {
  db = await createTestDatabase('scan');
});
afterAll(async () => {
  await db?.drop();
  await deleteNamespaceTopics(namespace);
});

it('finds personal data in clear in a table, a topic and a log, and nothing in what is sealed', async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`create table leads (id uuid primary key, email text, name text)`);
    await client.query(
      `insert into leads values (gen_random_uuid(), 'pd1:AAECAwQF', 'pd1:BAUG'), (gen_random_uuid(), 'lea.martin@example.fr', null)`,
    );
  } finally {
    await client.end();
  }
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(
    admin,
    ['crm.identity.events.v1', 'crm.partner.inbound.v1'].map((t) => ({
      topic: `${namespace}${t}`,
      numPartitions: 1,
    })),
  );
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: `${namespace}crm.identity.events.v1`,
    messages: [
      { key: 'c1', value: JSON.stringify({ sealed: { data: 'pd1:AAEC' }, data: { clientId: 'c1' } }) },
      { key: 'c2', value: JSON.stringify({ data: { phone: '+33612345678' } }) },
    ],
  });
  // a partner publishing on Kafka writes as it likes: clear by design, left out
  await producer.send({
    topic: `${namespace}crm.partner.inbound.v1`,
    messages: [{ key: 'x', value: JSON.stringify({ email: 'prospect@example.fr' }) }],
  });
  await producer.disconnect();

  const findings = await scanForPersonalData({
    output: [
      { process: 'claims', text: '{"level":"info","msg":"ok"}\n{"level":"warn","msg":"appel de Zorglub"}' },
      { process: 'gateway', text: '{"level":"info","msg":"partner event accepted"}' },
    ],
    databases: { identity: db.url },
    namespace,
    canaries: ['zorglub'],
  });
  expect(findings.map((f) => f.where).sort()).toEqual([
    'db identity.leads',
    'kafka crm.identity.events.v1',
    'log claims',
  ]);
  // the report shows where, never the value itself
  for (const f of findings) {
    expect(f.excerpt).not.toContain('lea.martin@example.fr');
    expect(f.excerpt).not.toContain('+33612345678');
  }
});
