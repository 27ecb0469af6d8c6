// Issue 21: production runs compiled JavaScript (the images, `npm run start:prod`), not tsx.
// The build output of the gateway and of the claims subgraph, started with plain node (no tsx,
// no "source" condition: every @crm/* package resolves to its dist/ through its exports), on
// the real PostgreSQL and Kafka, answers a federated query end to end: the claims service
// applies its migrations and verifies the gateway's internal token, the gateway loads the
// supergraph and serves the web front ends from paths relative to its dist/. tools/test.mjs
// runs `npm run build` before the integration tier.
import { readFileSync } from 'node:fs';
import { issueUserToken } from '@crm/auth';
import { createTestDatabase, type TestDatabase } from './database';
import { integrationEnv } from './env';
import { randomSuffix } from './ids';
import { deleteNamespaceTopics } from './kafka';
import { compiledEntry, type RunningProcess } from './processes';
import { TEST_INTERNAL_KEYS } from './service-harness';
import { startGatewayProcess, startSubgraphProcess } from './system';

const JWT_SECRET = `jwt-${randomSuffix(24)}`;
let namespace: string;
let db: TestDatabase;
let claims: RunningProcess;
let gateway: RunningProcess;

beforeAll(async () => {
  const { kafkaBrokers, runId } = integrationEnv();
  namespace = `t-${runId}-compiled-${randomSuffix(3)}.`;
  db = await createTestDatabase('compiled_claims');
  claims = await startSubgraphProcess({
    service: 'claims',
    databaseUrl: db.url,
    kafkaBrokers,
    namespace,
    internalPublicKey: TEST_INTERNAL_KEYS.publicKey,
    runtime: 'compiled',
  });
  // the other four subgraphs are not running: the query below needs claims only
  gateway = await startGatewayProcess({
    subgraphs: { claims },
    internalPrivateKey: TEST_INTERNAL_KEYS.privateKey,
    jwtSecret: JWT_SECRET,
    runtime: 'compiled',
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), claims?.stop()]);
  await db?.drop();
  await deleteNamespaceTopics(namespace);
}, 60_000);

/** The command line a running process was started with, read from /proc. */
const commandLine = (proc: RunningProcess) =>
  readFileSync(`/proc/${proc.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

describe('compiled JavaScript (npm run build) under plain node', () => {
  it('runs dist/main.js with no tsx and no source condition', () => {
    for (const [proc, entry] of [
      [claims, 'services/claims/src/main.ts'],
      [gateway, 'gateway/src/main.ts'],
    ] as const) {
      const args = commandLine(proc);
      expect(args.at(-1)).toMatch(new RegExp(`${compiledEntry(entry).replace(/[/.]/g, '\\$&')}$`));
      expect(args.join(' ')).not.toMatch(/tsx|--conditions/);
    }
  });

  it('answers a query through the gateway to the claims subgraph', async () => {
    const token = await issueUserToken(
      { sub: `advisor-${randomSuffix(4)}`, roles: ['advisor'], name: 'Compiled' },
      { secret: JWT_SECRET, issuer: 'crm-idp', audience: 'crm-gateway' },
    );
    const res = await fetch(`${gateway.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ claims(first: 5) { edges { node { id status } } } }' }),
    });
    const body = (await res.json()) as { data?: { claims?: { edges: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(body.data?.claims?.edges).toEqual([]);
  });

  it('serves the advisor console from the web build', async () => {
    const res = await fetch(`${gateway.baseUrl}/console`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html/i);
  });
});
