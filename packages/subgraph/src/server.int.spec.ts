// The subgraph factory over real HTTP: gateway-only access, health endpoints, error mapping.
import { generateInternalKeys, InternalTokenSigner, requestDigest, type Principal } from '@crm/auth';
import { createLogger } from '@crm/logging';
import { Writable } from 'node:stream';
import { DomainError } from './errors';
import { anyCaller, gql, startSubgraphServer, type BaseContext, type SubgraphServer } from './index';

const keys = generateInternalKeys();
const gatewayTokens = new InternalTokenSigner(keys.privateKey);
/** a token as the gateway mints it for `query` sent to `audience` */
const tokenFor = (principal: Principal, query: string, audience = 'probe', signer = gatewayTokens) =>
  signer.mint(principal, audience, { request: requestDigest({ query }) });
const logLines: string[] = [];
const logger = createLogger({
  service: 'probe',
  destination: new Writable({
    write(chunk: Buffer, _e, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  }),
});

describe('subgraph server', () => {
  let server: SubgraphServer;
  let ready = true;
  let brokerDown = false;
  beforeAll(async () => {
    server = await startSubgraphServer<BaseContext>({
      name: 'probe',
      port: 0,
      logger,
      internalTokenPublicKey: keys.publicKey,
      // the plumbing is under test here, not who may call (policies.spec.ts)
      policies: { 'Query.*': anyCaller, 'Thing.*': anyCaller },
      typeDefs: gql`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Thing @key(fields: "id") {
          id: ID!
          owner: String!
        }
        type Query {
          thing(id: ID!): Thing
          whoami: String!
          boom: String
        }
      `,
      resolvers: {
        Query: {
          thing: (_: unknown, { id }: { id: string }) => {
            if (id === 'missing') throw new DomainError('THING.NOT_FOUND', 'thing missing not found', { id });
            return { id, owner: 'x' };
          },
          whoami: (_: unknown, __: unknown, ctx: BaseContext) =>
            `${ctx.principal.sub}:${ctx.principal.roles.join(',')}`,
          boom: () => {
            throw new Error('connection string postgres://secret@db leaked');
          },
        },
      },
      context: (base) => base,
      readiness: [
        { name: 'database', check: () => Promise.resolve(ready ? undefined : 'database unreachable') },
        {
          name: 'events',
          check: () => {
            if (brokerDown) throw new Error('connect ECONNREFUSED 10.1.2.3:9092 as user crm_admin');
            return Promise.resolve(undefined);
          },
        },
      ],
    });
  });
  afterAll(() => server.stop());

  async function post(query: string, token?: string) {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-crm-internal-token': token } : {}) },
      body: JSON.stringify({ query }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: Record<string, unknown>;
        errors?: { message: string; extensions: Record<string, unknown> }[];
      },
    };
  }

  it('refuses calls that do not come from the gateway', async () => {
    const none = await post('{ whoami }');
    expect(none.status).toBe(401);
    expect(none.body.errors![0]!.extensions.code).toBe('AUTH.NOT_FROM_GATEWAY');
    const otherKey = new InternalTokenSigner(generateInternalKeys().privateKey);
    const forged = await post(
      '{ whoami }',
      await tokenFor({ sub: 'a', roles: [] }, '{ whoami }', 'probe', otherKey),
    );
    expect(forged.status).toBe(401);
    const otherSubgraph = await post(
      '{ whoami }',
      await tokenFor({ sub: 'a', roles: [] }, '{ whoami }', 'claims'),
    );
    expect(otherSubgraph.status).toBe(401);
  });

  it('refuses a token replayed, or carried to another request', async () => {
    const token = await tokenFor({ sub: 'adv-7', roles: ['advisor'] }, '{ whoami }');
    expect((await post('{ whoami }', token)).status).toBe(200);
    const replayed = await post('{ whoami }', token);
    expect(replayed.status).toBe(401);
    expect(replayed.body.errors![0]!.extensions.code).toBe('AUTH.NOT_FROM_GATEWAY');
    const other = await post('{ boom }', await tokenFor({ sub: 'adv-7', roles: ['advisor'] }, '{ whoami }'));
    expect(other.status).toBe(401);
  });

  it('passes the caller identity from the internal token to resolvers', async () => {
    const { status, body } = await post(
      '{ whoami }',
      await tokenFor({ sub: 'adv-7', roles: ['advisor'] }, '{ whoami }'),
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ whoami: 'adv-7:advisor' });
  });

  it('maps domain errors to their stable code and hides internals of unexpected ones', async () => {
    const advisor: Principal = { sub: 'adv-7', roles: ['advisor'] };
    const missingQuery = '{ thing(id: "missing") { id } }';
    const missing = await post(missingQuery, await tokenFor(advisor, missingQuery));
    expect(missing.body.errors![0]!.extensions).toEqual({
      code: 'THING.NOT_FOUND',
      details: { id: 'missing' },
    });
    const boom = await post('{ boom }', await tokenFor(advisor, '{ boom }'));
    expect(boom.body.errors![0]!.message).toBe('Internal server error');
    expect(boom.body.errors![0]!.extensions.code).toBe('INTERNAL');
    expect(JSON.stringify(boom.body)).not.toContain('postgres://');
    expect(logLines.some((l) => l.includes(String(boom.body.errors![0]!.extensions.errorId)))).toBe(true);
  });

  it('serves the federation SDL and resolves entities', async () => {
    const gateway: Principal = { sub: 'gw', roles: ['system'] };
    const sdl = await post('{ _service { sdl } }', await tokenFor(gateway, '{ _service { sdl } }'));
    expect(String((sdl.body.data!._service as { sdl: string }).sdl)).toMatch(
      /type Thing\s+@key\(fields: "id"\)/,
    );
    const entitiesQuery =
      '{ _entities(representations: [{ __typename: "Thing", id: "t1" }]) { ... on Thing { id } } }';
    const entities = await post(entitiesQuery, await tokenFor(gateway, entitiesQuery));
    expect(entities.body.data).toEqual({ _entities: [{ id: 't1' }] });
  });

  it('reports liveness and readiness', async () => {
    expect((await fetch(server.url.replace('/graphql', '/health/live'))).status).toBe(200);
    expect((await fetch(server.url.replace('/graphql', '/health/ready'))).status).toBe(200);
    ready = false;
    const notReady = await fetch(server.url.replace('/graphql', '/health/ready'));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not-ready',
      checks: { database: 'database unreachable' },
    });
    ready = true;
    // a check that throws: the driver's words stay in the log
    brokerDown = true;
    const failed = await fetch(server.url.replace('/graphql', '/health/ready'));
    const text = await failed.text();
    expect(failed.status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({
      status: 'not-ready',
      checks: { database: 'ok', events: 'failed' },
    });
    expect(text).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|crm_admin/);
    brokerDown = false;
  });
});
