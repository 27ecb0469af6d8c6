// The subgraph's graphql-ws server over a real socket: gateway-only access, subscriptions
// with the caller's principal in the context, queries refused.
import { generateInternalKeys, InternalTokenSigner, requestDigest, SOCKET_BINDING } from '@crm/auth';
import { createLogger } from '@crm/logging';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  anyCaller,
  gql,
  PushIterator,
  startSubgraphServer,
  type BaseContext,
  type SubgraphServer,
} from './index';

const keys = generateInternalKeys();
const gatewayTokens = new InternalTokenSigner(keys.privateKey);
const advisor = { sub: 'adv-1', roles: ['advisor' as const] };

describe('subgraph subscriptions (graphql-ws)', () => {
  let server: SubgraphServer;
  let wsUrl: string;
  beforeAll(async () => {
    server = await startSubgraphServer<BaseContext>({
      name: 'probe',
      port: 0,
      logger: createLogger({ service: 'probe', level: 'silent' }),
      internalTokenPublicKey: keys.publicKey,
      // the plumbing is under test here, not who may call (policies.spec.ts)
      policies: { 'Query.*': anyCaller, 'Subscription.*': anyCaller },
      typeDefs: gql`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          hello: String!
        }
        type Subscription {
          ticks(n: Int!): String!
        }
      `,
      resolvers: {
        Query: { hello: () => 'hi' },
        Subscription: {
          ticks: {
            subscribe: (_: unknown, { n }: { n: number }, ctx: BaseContext) => {
              const it = new PushIterator<string>();
              for (let i = 1; i <= n; i += 1) it.push(`${ctx.principal.sub}:${i}`);
              setTimeout(() => void it.return(), 10);
              return it;
            },
            resolve: (v: string) => v,
          },
        },
      },
      context: (base) => base,
    });
    wsUrl = server.url.replace(/^http/, 'ws');
  });
  afterAll(() => server.stop());

  const run = async (token: string, query: string) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-crm-internal-token': token },
      retryAttempts: 0,
    });
    const seen: unknown[] = [];
    try {
      for await (const r of client.iterate({ query })) seen.push(r);
    } finally {
      await client.dispose();
    }
    return seen;
  };

  it("streams a subscription with the gateway's caller in the context", async () => {
    const token = await gatewayTokens.mint(advisor, 'probe', { request: SOCKET_BINDING });
    expect(await run(token, 'subscription { ticks(n: 3) }')).toEqual([
      { data: { ticks: 'adv-1:1' } },
      { data: { ticks: 'adv-1:2' } },
      { data: { ticks: 'adv-1:3' } },
    ]);
  });

  it('closes with 4403 without a valid internal token', async () => {
    const wrong = await gatewayTokens.mint(advisor, 'other-subgraph', { request: SOCKET_BINDING });
    await expect(run(wrong, 'subscription { ticks(n: 1) }')).rejects.toMatchObject({ code: 4403 });
  });

  it('closes with 4403 on a request token (bound to an HTTP request) or a socket token used twice', async () => {
    const query = 'subscription { ticks(n: 1) }';
    const forRequest = await gatewayTokens.mint(advisor, 'probe', { request: requestDigest({ query }) });
    await expect(run(forRequest, query)).rejects.toMatchObject({ code: 4403 });
    const once = await gatewayTokens.mint(advisor, 'probe', { request: SOCKET_BINDING });
    await run(once, query);
    await expect(run(once, query)).rejects.toMatchObject({ code: 4403 });
  });

  it('serves subscriptions only: a query over the socket gets an error', async () => {
    const token = await gatewayTokens.mint(advisor, 'probe', { request: SOCKET_BINDING });
    const results = (await run(token, '{ hello }')) as { errors?: { message: string }[] }[];
    expect(results[0]?.errors?.[0]?.message).toMatch(/only subscriptions/);
  });
});
