// Rate limits and the cost limit through the real gateway (startGateway over real HTTP and
// WebSocket, a small subgraph composed on the fly), at each limit and one past it: per caller,
// per address (counted before the token is checked), two gateways sharing the PostgreSQL store,
// the store failing under them, WebSocket connection attempts, and the cost of a list. Limits
// are small and windows an hour long, so no assertion depends on the clock or the machine.
import { composeServices } from '@apollo/composition';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { generateInternalKeys, issueUserToken } from '@crm/auth';
import { createLogger } from '@crm/logging';
import {
  PushIterator,
  anyCaller,
  gql,
  startSubgraphServer,
  type BaseContext,
  type SubgraphServer,
} from '@crm/subgraph';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { envSchema, type Env } from './env';
import type { FederatedSubscriptions } from './federated-subscriptions';
import { RATE_LIMIT_TABLE } from './rate-limits';
import { startGateway, type GatewayServer } from './server';
import { CLOSE_TOO_MANY_SOCKETS, startGatewayWs } from './ws';

const INTERNAL = generateInternalKeys();
const INTERNAL_PUBLIC = createPublicKey(INTERNAL.publicKey);
const USERS = { secret: 'r'.repeat(40), issuer: 'crm-idp', audience: 'crm-gateway' };
const HOUR = '3600';
const logger = createLogger({ service: 'rate-limits-test', level: 'silent' });

const sdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Person @key(fields: "id") { id: ID! name: String! }
  type Query { whoami: String!  people(first: Int): [Person!]! }
`;

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('OWASP API4 unrestricted resource consumption: rate limits and the cost limit at the gateway', () => {
  let subgraph: SubgraphServer;
  let dir: string;
  let db: TestDatabase;
  const gateways: GatewayServer[] = [];

  async function gateway(overrides: Partial<Record<keyof Env, string>>): Promise<GatewayServer> {
    const env = envSchema.parse({
      PORT: '0',
      SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
      IDENTITY_URL: subgraph.url,
      INTERNAL_TOKEN_PRIVATE_KEY: INTERNAL.privateKey,
      JWT_SECRET: USERS.secret,
      RATE_LIMIT_WINDOW_SECONDS: HOUR,
      ...overrides,
    });
    const gw = await startGateway(env, logger);
    gateways.push(gw);
    return gw;
  }

  const token = (sub: string) => issueUserToken({ sub, roles: ['advisor'] }, USERS);

  async function post(
    gw: GatewayServer,
    query: string,
    bearer?: string,
    headers: Record<string, string> = {},
    variables: Record<string, unknown> = {},
  ): Promise<Answer> {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
  }

  function expectRateLimited(answer: Answer, window = 3600): void {
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({
      errors: [{ message: expect.stringMatching(/^too many requests/), extensions: { code: 'LIMIT.RATE' } }],
    });
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(window);
    expect(answer.headers.get('ratelimit-remaining')).toBe('0');
  }

  beforeAll(async () => {
    subgraph = await startSubgraphServer<BaseContext>({
      name: 'identity',
      port: 0,
      logger,
      internalTokenPublicKey: INTERNAL.publicKey,
      typeDefs: gql(sdl),
      policies: { 'Query.*': anyCaller, 'Person.*': anyCaller },
      context: (b) => b,
      resolvers: {
        Query: {
          whoami: (_: unknown, __: unknown, ctx: BaseContext) => ctx.principal.sub,
          people: (_: unknown, { first }: { first?: number | null }) =>
            Array.from({ length: first ?? 1 }, (_x, i) => ({ id: String(i), name: `P${i}` })),
        },
      },
    });
    const composed = composeServices([{ name: 'identity', url: subgraph.url, typeDefs: parse(sdl) }]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    dir = mkdtempSync(join(tmpdir(), 'gw-rate-'));
    writeFileSync(join(dir, 'supergraph.graphql'), composed.supergraphSdl);
    db = await createTestDatabase('ratelimits');
  });

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await subgraph?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('admits a caller up to his limit and answers the next request 429, Retry-After and LIMIT.RATE', async () => {
    const gw = await gateway({ RATE_LIMIT_PER_PRINCIPAL: '3', RATE_LIMIT_PER_IP: '100' });
    const bearer = await token('adv-busy');
    for (const remaining of ['2', '1', '0']) {
      const answer = await post(gw, '{ whoami }', bearer);
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ whoami: 'adv-busy' });
      expect(answer.headers.get('ratelimit-limit')).toBe('3');
      expect(answer.headers.get('ratelimit-remaining')).toBe(remaining);
      expect(answer.headers.get('ratelimit-policy')).toBe('3;w=3600');
    }
    const refused = await post(gw, '{ whoami }', bearer);
    expectRateLimited(refused);
    expect(refused.body.errors![0]!.message).toMatch(/for this caller/);
    // another caller from the same address has his own budget
    expect((await post(gw, '{ whoami }', await token('adv-calm'))).status).toBe(200);
  });

  it('counts every request from one address, before the token is checked: several callers, and bad tokens', async () => {
    const gw = await gateway({ RATE_LIMIT_PER_PRINCIPAL: '100', RATE_LIMIT_PER_IP: '5' });
    // a flood of made-up tokens uses the address's budget
    expect((await post(gw, '{ whoami }', 'made.up.token')).status).toBe(401);
    expect((await post(gw, '{ whoami }')).status).toBe(401);
    for (const caller of ['adv-a', 'adv-b', 'adv-c']) {
      expect((await post(gw, '{ whoami }', await token(caller))).status).toBe(200);
    }
    const refused = await post(gw, '{ whoami }', await token('adv-d'));
    expectRateLimited(refused);
    expect(refused.body.errors![0]!.message).toMatch(/from this address/);
    // refused before authentication: a request without a token gets 429, not 401
    expectRateLimited(await post(gw, '{ whoami }'));
  });

  it("takes the address from the trusted proxy's X-Forwarded-For; an IPv6 caller's /64 is one address", async () => {
    const gw = await gateway({
      RATE_LIMIT_PER_PRINCIPAL: '100',
      RATE_LIMIT_PER_IP: '2',
      TRUST_PROXY_HOPS: '1',
    });
    const bearer = await token('adv-proxied');
    const from = (ip: string) => post(gw, '{ whoami }', bearer, { 'x-forwarded-for': ip });
    expect((await from('203.0.113.7')).status).toBe(200);
    expect((await from('198.51.100.1, 203.0.113.7')).status).toBe(200); // the caller wrote the first
    expectRateLimited(await from('203.0.113.7'));
    expect((await from('203.0.113.8')).status).toBe(200);
    expect((await from('2001:db8:1:2::1')).status).toBe(200);
    expect((await from('2001:db8:1:2:ffff::9')).status).toBe(200);
    expectRateLimited(await from('2001:db8:1:2::2'));
    expect((await from('2001:db8:1:3::1')).status).toBe(200);
  });

  it('shares the counts between two gateways through PostgreSQL, and keeps serving when the store fails', async () => {
    const shared = {
      RATE_LIMIT_DATABASE_URL: db.url,
      RATE_LIMIT_PER_PRINCIPAL: '3',
      RATE_LIMIT_PER_IP: '1000',
    };
    const [a, b] = [await gateway(shared), await gateway(shared)];
    const bearer = await token('adv-replicas');
    expect((await post(a, '{ whoami }', bearer)).status).toBe(200);
    expect((await post(a, '{ whoami }', bearer)).status).toBe(200);
    const third = await post(b, '{ whoami }', bearer);
    expect(third.status).toBe(200);
    expect(third.headers.get('ratelimit-remaining')).toBe('0'); // b saw a's two
    expectRateLimited(await post(b, '{ whoami }', bearer));
    expectRateLimited(await post(a, '{ whoami }', bearer));

    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const rows = await sql.query<{ key: string }>(`SELECT key FROM ${RATE_LIMIT_TABLE} ORDER BY key`);
      expect(rows.rows.map((r) => r.key)).toEqual(['ip:127.0.0.1', 'principal:adv-replicas']);
      // the store goes away: each gateway counts in its own memory and keeps serving
      await sql.query(`DROP TABLE ${RATE_LIMIT_TABLE}`);
    } finally {
      await sql.end();
    }
    const other = await token('adv-during-outage');
    for (let i = 0; i < 3; i += 1) expect((await post(a, '{ whoami }', other)).status).toBe(200);
    expectRateLimited(await post(a, '{ whoami }', other));
    expect((await post(b, '{ whoami }', other)).status).toBe(200);
  });

  it('refuses WebSocket connection attempts past the limits: 429 at the upgrade per address, 4429 per caller', async () => {
    const perIp = await gateway({ RATE_LIMIT_PER_PRINCIPAL: '100', RATE_LIMIT_PER_IP: '2' });
    const bearer = await token('adv-sockets');
    const first = await connect(perIp.url, bearer);
    const second = await connect(perIp.url, bearer);
    expect([first.outcome, second.outcome]).toEqual(['ack', 'ack']);
    const third = await connect(perIp.url, bearer);
    expect(third.outcome).toBe(429);
    expect(Number(third.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(third.body).toContain('LIMIT.RATE');

    const perCaller = await gateway({ RATE_LIMIT_PER_PRINCIPAL: '2', RATE_LIMIT_PER_IP: '100' });
    const opened = [await connect(perCaller.url, bearer), await connect(perCaller.url, bearer)];
    expect(opened.map((o) => o.outcome)).toEqual(['ack', 'ack']);
    const refused = await connect(perCaller.url, bearer);
    expect(refused.outcome).toBe(CLOSE_TOO_MANY_SOCKETS);
    expect(refused.reason).toMatch(/^too many requests for this caller; retry in \d+ s$/);
    expect((await connect(perCaller.url, await token('adv-other'))).outcome).toBe('ack');
    for (const o of [first, second, ...opened]) o.socket?.close();
  });

  it('refuses a list one item past the cost limit with LIMIT.COST, whether the size is written or a variable', async () => {
    // people(first: n) { name } costs 1 + n
    const gw = await gateway({ MAX_COST: '11', RATE_LIMIT_PER_PRINCIPAL: '100', RATE_LIMIT_PER_IP: '100' });
    const bearer = await token('adv-costly');
    const atLimit = await post(gw, '{ people(first: 10) { name } }', bearer);
    expect(atLimit.status).toBe(200);
    expect((atLimit.body.data as { people: unknown[] }).people).toHaveLength(10);
    const past = await post(gw, '{ people(first: 11) { name } }', bearer);
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([
      { message: 'Query cost limit of 11 exceeded, found 12.', extensions: { code: 'LIMIT.COST' } },
    ]);
    expect(past.body.data).toBeUndefined();
    const query = 'query($n: Int) { people(first: $n) { name } }';
    expect((await post(gw, query, bearer, {}, { n: 10 })).status).toBe(200);
    const byVariable = await post(gw, query, bearer, {}, { n: 11 });
    expect(byVariable.body.errors![0]!.extensions!.code).toBe('LIMIT.COST');
    // a variable of the wrong type is refused as such, and nothing runs
    const wrong = await post(gw, query, bearer, {}, { n: 'all of them' });
    expect(wrong.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(wrong.body.data).toBeUndefined();
  });

  it('refuses a subscription one item past the cost limit with LIMIT.COST', async () => {
    const httpServer: Server = createServer();
    const schema = buildSchema(
      'type Query { ok: Boolean } type Tick { n: Int } type Subscription { ticks(first: Int): [Tick!] }',
    );
    const subscriptions = {
      schema,
      subscribe: () => {
        const it = new PushIterator<{ data: { ticks: { n: number }[] } }>(() => undefined);
        it.push({ data: { ticks: [{ n: 1 }] } });
        return it;
      },
    } as unknown as FederatedSubscriptions;
    const ws = startGatewayWs({
      httpServer,
      subscriptions,
      tokens: { user: USERS, conversations: INTERNAL_PUBLIC },
      trustProxyHops: 0,
      limits: { maxDepth: 10, maxAliases: 10, maxCost: 10, maxTokens: 1000 },
      sockets: { maxPayloadBytes: 65_536, maxSocketsPerPrincipal: 5, maxSubscriptionsPerPrincipal: 5 },
      logger,
      formatError: (e) => e,
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await token('adv-live')}` },
    });
    const subscribe = (first: number) => {
      const seen: unknown[] = [];
      const errors: unknown[] = [];
      client.subscribe(
        { query: `subscription { ticks(first: ${first}) { n } }` },
        { next: (v) => seen.push(v), error: (e) => errors.push(e), complete: () => undefined },
      );
      return { seen, errors };
    };
    try {
      // ticks(first: n) { n } costs 1 + n
      const atLimit = subscribe(9);
      await waitFor(
        'a subscription at the limit',
        () => atLimit.seen.length > 0 || atLimit.errors.length > 0,
      );
      expect(atLimit.errors).toEqual([]);
      const past = subscribe(10);
      await waitFor('the one past the limit refused', () => past.errors.length > 0 || past.seen.length > 0);
      expect(JSON.stringify(past.errors)).toContain('LIMIT.COST');
    } finally {
      await client.dispose();
      await ws.close();
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });
});

/** A raw socket that sent connection_init: 'ack', its close code, or the HTTP status of a refused upgrade. */
function connect(
  httpUrl: string,
  bearer: string,
): Promise<{
  socket?: WebSocket;
  outcome: string | number;
  reason?: string;
  retryAfter?: string;
  body?: string;
}> {
  return new Promise((resolve) => {
    const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    socket.on('open', () =>
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bearer}` } }),
      ),
    );
    socket.on('message', (data) => {
      if ((JSON.parse((data as Buffer).toString('utf8')) as { type: string }).type === 'connection_ack')
        resolve({ socket, outcome: 'ack' });
    });
    socket.on('close', (code, reason) => resolve({ socket, outcome: code, reason: reason.toString('utf8') }));
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () =>
        resolve({ outcome: res.statusCode ?? 0, retryAfter: String(res.headers['retry-after']), body }),
      );
    });
    socket.on('error', () => undefined);
  });
}
