// What one caller may hold open on the gateway's WebSocket server, over real sockets: live
// subscriptions (LIMIT.SUBSCRIPTIONS at the limit + 1, room again once one ends), sockets
// (4429 at the limit + 1, another caller unaffected) and frame size (1009). The federated
// subscriptions behind it are a stand-in that never ends: they are tested with the real
// subgraphs in subscriptions.int.spec.ts; what is under test here is ws.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey } from 'node:crypto';
import { generateInternalKeys, issueUserToken } from '@crm/auth';
import { createLogger } from '@crm/logging';
import { BoundedCache, MIB, PushIterator } from '@crm/subgraph';
import { waitFor } from '@crm/testing';
import { buildSchema, type DocumentNode, type ExecutionArgs } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { FederatedSubscriptions } from './federated-subscriptions';
import { CLOSE_TOO_MANY_SOCKETS, startGatewayWs } from './ws';

const TOKENS = { secret: 's'.repeat(40), issuer: 'crm-idp', audience: 'crm-gateway' };
const SOCKETS = 2;
const SUBSCRIPTIONS = 2;
const PAYLOAD = 2048;

describe('OWASP API4 unrestricted resource consumption: WebSocket limits per caller', () => {
  let httpServer: Server;
  let ws: { close(): Promise<void> };
  let url: string;
  let live = 0;
  const documents = new BoundedCache<DocumentNode>('subscription_documents', MIB);
  /** the documents the subscriptions were given, in order */
  const given: DocumentNode[] = [];

  beforeAll(async () => {
    httpServer = createServer();
    const schema = buildSchema('type Query { ok: Boolean } type Subscription { ticks: Int }');
    const subscriptions = {
      schema,
      subscribe: (args: ExecutionArgs) => {
        given.push(args.document);
        live += 1;
        const it = new PushIterator<{ data: { ticks: number } }>(() => {
          live -= 1;
        });
        it.push({ data: { ticks: 1 } });
        return it;
      },
    } as unknown as FederatedSubscriptions;
    ws = startGatewayWs({
      httpServer,
      subscriptions,
      tokens: { user: TOKENS, conversations: createPublicKey(generateInternalKeys().publicKey) },
      trustProxyHops: 0,
      limits: { maxDepth: 10, maxAliases: 10, maxCost: 10_000, maxTokens: 1000 },
      sockets: {
        maxPayloadBytes: PAYLOAD,
        maxSocketsPerPrincipal: SOCKETS,
        maxSubscriptionsPerPrincipal: SUBSCRIPTIONS,
      },
      logger: createLogger({ service: 'ws-test', level: 'silent' }),
      formatError: (e) => e,
      documents,
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await ws.close();
    await new Promise((resolve) => httpServer.close(resolve));
  });

  const token = (sub: string) => issueUserToken({ sub, roles: ['advisor'] }, TOKENS);

  /** a raw socket that sent connection_init: resolves to 'ack' or to its close code */
  function connect(bearer: string, first?: string): Promise<{ socket: WebSocket; outcome: string | number }> {
    return new Promise((resolve) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      socket.on('open', () =>
        socket.send(
          first ??
            JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bearer}` } }),
        ),
      );
      socket.on('message', (data) => {
        if ((JSON.parse((data as Buffer).toString('utf8')) as { type: string }).type === 'connection_ack')
          resolve({ socket, outcome: 'ack' });
      });
      socket.on('close', (code) => resolve({ socket, outcome: code }));
    });
  }

  it(`refuses subscription ${SUBSCRIPTIONS + 1} with LIMIT.SUBSCRIPTIONS, and takes one again once one ends`, async () => {
    const bearer = await token('subs-caller');
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${bearer}` },
    });
    const open = () => {
      const errors: unknown[] = [];
      const seen: unknown[] = [];
      const stop = client.subscribe(
        { query: 'subscription { ticks }' },
        { next: (v) => seen.push(v), error: (e) => errors.push(e), complete: () => undefined },
      );
      return { stop, errors, seen };
    };
    const first = open();
    const second = open();
    await waitFor('two live subscriptions', () => first.seen.length > 0 && second.seen.length > 0);
    const third = open();
    await waitFor('the third refused', () => third.errors.length > 0);
    expect(JSON.stringify(third.errors)).toContain('LIMIT.SUBSCRIPTIONS');
    expect(live).toBe(SUBSCRIPTIONS);

    first.stop();
    await waitFor('the first ended', () => live === SUBSCRIPTIONS - 1);
    const fourth = open();
    await waitFor('a subscription again', () => fourth.seen.length > 0 || fourth.errors.length > 0);
    expect(fourth.errors).toEqual([]);
    await client.dispose();
    await waitFor('all ended with the socket', () => live === 0);
  });

  it(`closes socket ${SOCKETS + 1} of one caller with ${CLOSE_TOO_MANY_SOCKETS}; another caller still connects`, async () => {
    const bearer = await token('socket-caller');
    const opened = [await connect(bearer), await connect(bearer)];
    expect(opened.map((o) => o.outcome)).toEqual(['ack', 'ack']);
    expect((await connect(bearer)).outcome).toBe(CLOSE_TOO_MANY_SOCKETS);
    const other = await connect(await token('someone-else'));
    expect(other.outcome).toBe('ack');
    // a closed socket frees its place
    opened[0]!.socket.close();
    await new Promise((resolve) => opened[0]!.socket.once('close', resolve));
    await waitFor('a place again', async () => {
      const again = await connect(bearer);
      again.socket.close();
      return again.outcome === 'ack';
    });
    for (const o of [opened[1]!, other]) o.socket.close();
  });

  it(`closes a socket that sends a frame over ${PAYLOAD} bytes with 1009, and accepts one just under`, async () => {
    const bearer = await token('big-frames');
    const init = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bearer}` } });
    const pad = (size: number) =>
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${bearer}`, pad: 'x'.repeat(size - init.length - 10) },
      });
    const small = await connect(bearer, pad(PAYLOAD - 1));
    expect(small.outcome).toBe('ack');
    small.socket.close();
    expect((await connect(bearer, pad(PAYLOAD + 100))).outcome).toBe(1009);
  });

  it('parses and validates a subscription text once: its subscriptions share the document; a refused one is not kept', async () => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await token('shared-doc-caller')}` },
    });
    const query = 'subscription SharedTicks { ticks }';
    const from = given.length;
    const outcomes: unknown[][] = [[], [], []];
    const stops = ['subscription SharedTicks { ticks }', query, 'subscription { ticks nope }'].map((q, i) =>
      client.subscribe(
        { query: q },
        {
          next: (v) => outcomes[i]!.push(v),
          error: (e) => outcomes[i]!.push(e),
          complete: () => undefined,
        },
      ),
    );
    await waitFor('three answers', () => outcomes.every((o) => o.length > 0));
    expect(JSON.stringify(outcomes[2])).toContain('GRAPHQL_VALIDATION_FAILED');
    const mine = given.slice(from);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toBe(mine[1]);
    expect(documents.peek(query)).toBe(mine[0]);
    expect(documents.peek('subscription { ticks nope }')).toBeUndefined();
    for (const stop of stops) stop();
    await client.dispose();
    await waitFor('all ended with the socket', () => live === 0);
  });
});
