// The gateway's edge behaviour over real HTTP, against two small subgraphs composed on the
// fly: authentication, identity passed to subgraphs, limits at and one past each bound,
// CSRF prevention, introspection in production, errors without internals.
import { composeServices } from '@apollo/composition';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { generateInternalKeys, issueUserToken } from '@crm/auth';
import { createLogger } from '@crm/logging';
import {
  anyCaller,
  DomainError,
  gql,
  startSubgraphServer,
  type BaseContext,
  type SubgraphServer,
} from '@crm/subgraph';
import { envSchema, type Env } from './env';
import { startGateway, type GatewayServer } from './server';

const INTERNAL = generateInternalKeys();
const JWT = 'j'.repeat(40);
const logger = createLogger({ service: 'gateway-test', level: 'silent' });

const peopleSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Person @key(fields: "id") { id: ID! name: String! friend: Person }
  type Query { person(id: ID!): Person  whoami: String!  failing: String  missing: String }
`;
const notesSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Person @key(fields: "id") { id: ID! notes: [String!]!  seenBy: String! }
`;

describe('gateway (real HTTP, composed supergraph)', () => {
  let people: SubgraphServer;
  let notes: SubgraphServer;
  let dir: string;
  const gateways: GatewayServer[] = [];

  async function gateway(overrides: Partial<Record<keyof Env, string>> = {}): Promise<GatewayServer> {
    const env = envSchema.parse({
      PORT: '0',
      SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
      IDENTITY_URL: people.url,
      CLAIMS_URL: notes.url,
      INTERNAL_TOKEN_PRIVATE_KEY: INTERNAL.privateKey,
      JWT_SECRET: JWT,
      MAX_DEPTH: '4',
      MAX_ALIASES: '3',
      MAX_COST: '60',
      ...overrides,
    });
    const gw = await startGateway(env, logger);
    gateways.push(gw);
    return gw;
  }

  const token = (ttl = 600) =>
    issueUserToken(
      { sub: 'adv-42', roles: ['advisor'] },
      { secret: JWT, issuer: 'crm-idp', audience: 'crm-gateway' },
      ttl,
    );

  async function post(gw: GatewayServer, query: string, auth?: string, headers: Record<string, string> = {}) {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: Record<string, unknown>;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  }

  beforeAll(async () => {
    people = await startSubgraphServer<BaseContext>({
      name: 'identity',
      port: 0,
      logger,
      internalTokenPublicKey: INTERNAL.publicKey,
      typeDefs: gql(peopleSdl),
      // the gateway is under test here, not the subgraphs' policies
      policies: { 'Query.*': anyCaller, 'Person.*': anyCaller },
      context: (b) => b,
      resolvers: {
        Query: {
          person: (_: unknown, { id }: { id: string }) => ({ id, name: `P${id}` }),
          whoami: (_: unknown, __: unknown, ctx: BaseContext) => ctx.principal.sub,
          failing: () => {
            throw new Error('relation "secret_table" does not exist');
          },
          missing: () => {
            throw new DomainError('PERSON.NOT_FOUND', 'person 9 not found');
          },
        },
        Person: { friend: (p: { id: string }) => ({ id: `${p.id}f`, name: `P${p.id}f` }) },
      },
    });
    notes = await startSubgraphServer<BaseContext>({
      name: 'claims',
      port: 0,
      logger,
      internalTokenPublicKey: INTERNAL.publicKey,
      typeDefs: gql(notesSdl),
      policies: { 'Person.*': anyCaller },
      context: (b) => b,
      resolvers: {
        Person: {
          __resolveReference: (ref: { id: string }) => ref,
          notes: (p: { id: string }) => [`note for ${p.id}`],
          seenBy: (_: unknown, __: unknown, ctx: BaseContext) =>
            `${ctx.principal.sub}/${ctx.principal.roles.join(',')}`,
        },
      },
    });
    const composed = composeServices([
      { name: 'identity', url: people.url, typeDefs: parse(peopleSdl) },
      { name: 'claims', url: notes.url, typeDefs: parse(notesSdl) },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    dir = mkdtempSync(join(tmpdir(), 'gw-'));
    writeFileSync(join(dir, 'supergraph.graphql'), composed.supergraphSdl);
  });

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all([people.stop(), notes.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses calls without a valid, unexpired token', async () => {
    const gw = await gateway();
    expect((await post(gw, '{ whoami }')).body.errors![0]!.extensions!.code).toBe('AUTH.MISSING_TOKEN');
    const bad = await post(gw, '{ whoami }', 'x.y.z');
    expect(bad.status).toBe(401);
    expect(bad.body.errors![0]!.extensions!.code).toBe('AUTH.INVALID_TOKEN');
    const expired = await issueUserToken(
      { sub: 'a', roles: ['advisor'] },
      { secret: JWT, issuer: 'crm-idp', audience: 'crm-gateway' },
      10,
      Math.floor(Date.now() / 1000) - 600,
    );
    expect((await post(gw, '{ whoami }', expired)).body.errors![0]!.extensions!.code).toBe(
      'AUTH.EXPIRED_TOKEN',
    );
  });

  it('plans across subgraphs and passes the caller identity to each of them', async () => {
    const gw = await gateway();
    const { status, body } = await post(
      gw,
      '{ whoami person(id: "1") { name notes seenBy } }',
      await token(),
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({
      whoami: 'adv-42',
      person: { name: 'P1', notes: ['note for 1'], seenBy: 'adv-42/advisor' },
    });
  });

  it('accepts an operation at the depth limit and refuses one past it', async () => {
    const gw = await gateway();
    const t = await token();
    // depth 4: person > friend > friend > name
    const atLimit = await post(gw, '{ person(id: "1") { friend { friend { name } } } }', t);
    expect(atLimit.body.errors).toBeUndefined();
    const past = await post(gw, '{ person(id: "1") { friend { friend { friend { name } } } } }', t);
    expect(past.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(past.body.errors![0]!.message).toMatch(/depth/i);
  });

  it('accepts aliases at the limit and refuses one more', async () => {
    const gw = await gateway();
    const t = await token();
    const atLimit = await post(gw, '{ a: whoami b: whoami c: whoami }', t);
    expect(atLimit.body.errors).toBeUndefined();
    const past = await post(gw, '{ a: whoami b: whoami c: whoami d: whoami }', t);
    expect(past.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(past.body.errors![0]!.message).toMatch(/aliases/i);
  });

  it('accepts an operation whose cost equals the limit and refuses it one past it (LIMIT.COST)', async () => {
    const t = await token();
    // every field costs 1 (cost.ts): a { name notes friend { name } } = 5, b { name } = 2
    const query = '{ a: person(id: "1") { name notes friend { name } } b: person(id: "2") { name } }';
    const atLimit = await post(await gateway({ MAX_COST: '7', MAX_ALIASES: '10' }), query, t);
    expect(atLimit.body.errors).toBeUndefined();
    const past = await post(await gateway({ MAX_COST: '6', MAX_ALIASES: '10' }), query, t);
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([
      { message: 'Query cost limit of 6 exceeded, found 7.', extensions: { code: 'LIMIT.COST' } },
    ]);
  });

  it('accepts a document at the token limit and refuses one token more', async () => {
    const gw = await gateway({ MAX_TOKENS: '20' });
    const t = await token();
    // "{", 18 fields, "}" = 20 tokens
    const atLimit = await post(gw, `{ ${Array.from({ length: 18 }, () => 'whoami').join(' ')} }`, t);
    expect(atLimit.body.errors).toBeUndefined();
    const past = await post(gw, `{ ${Array.from({ length: 19 }, () => 'whoami').join(' ')} }`, t);
    expect(past.body.errors![0]!.message).toMatch(/token/i);
  });

  it('prevents CSRF: a simple GET without a preflight header is refused', async () => {
    const gw = await gateway();
    const res = await fetch(`${gw.url}?query=${encodeURIComponent('{ whoami }')}`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
    const allowed = await fetch(`${gw.url}?query=${encodeURIComponent('{ whoami }')}`, {
      headers: { authorization: `Bearer ${await token()}`, 'apollo-require-preflight': 'true' },
    });
    expect(allowed.status).toBe(200);
  });

  it('turns introspection off in production and hides field suggestions there', async () => {
    const dev = await gateway();
    const prod = await gateway({ NODE_ENV: 'production' });
    const t = await token();
    expect((await post(dev, '{ __schema { queryType { name } } }', t)).body.data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    const refused = await post(prod, '{ __schema { queryType { name } } }', t);
    expect(refused.body.errors![0]!.message).toMatch(/introspection/i);
    const typo = await post(prod, '{ whoamj }', t);
    expect(typo.body.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it('serves an offline explorer outside production, with every asset local', async () => {
    const dev = await gateway();
    const page = await fetch(dev.url.replace('/graphql', '/explorer'));
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toHaveLength(4);
    for (const source of sources) {
      expect(source.startsWith('/explorer/assets/')).toBe(true);
      const res = await fetch(new URL(source, dev.url));
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    const prod = await gateway({ NODE_ENV: 'production' });
    expect((await fetch(prod.url.replace('/graphql', '/explorer'))).status).toBe(404);
  });

  it('keeps domain error codes and masks internal errors', async () => {
    const gw = await gateway();
    const t = await token();
    const missing = await post(gw, '{ missing }', t);
    expect(missing.body.errors![0]!.extensions!.code).toBe('PERSON.NOT_FOUND');
    const failing = await post(gw, '{ failing }', t);
    expect(failing.body.errors![0]!.message).toBe('Internal server error');
    expect(JSON.stringify(failing.body)).not.toContain('secret_table');
  });
});
