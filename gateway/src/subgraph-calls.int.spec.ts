// The gateway's HTTP client for subgraph calls (AuthenticatedDataSource over undici's request),
// against a real HTTP server on a free port: what it sends (the operation as JSON, a token the
// subgraph's verifier accepts, bound to that request, with the caller and the correlation id),
// what it makes of the answers (JSON, a non-2xx status as Apollo reported it, a body that is
// not JSON, a subgraph that is down), and the subgraph's Cache-Control on the response's policy.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  generateInternalKeys,
  INTERNAL_TOKEN_HEADER,
  InternalTokenSigner,
  InternalTokenVerifier,
  requestDigest,
} from '@crm/auth';
import { AuthenticatedDataSource, subgraphHttpClient, type GatewayContext } from './subgraph-calls';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
}

let server: Server;
let url: string;
const received: Received[] = [];
let answer: (res: ServerResponse) => void = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      });
      answer(res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
});

const keys = generateInternalKeys();
const signer = new InternalTokenSigner(keys.privateKey);
const http = subgraphHttpClient();
afterAll(() => http.close());

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

const caller: GatewayContext = {
  principal: { sub: 'adv-7', roles: ['advisor'] },
  correlationId: 'corr-subgraph-calls',
  clientIp: '203.0.113.9',
};

function incoming(
  request: { query: string; variables?: Record<string, unknown>; operationName?: string },
  restrict?: jest.Mock,
): GraphQLDataSourceProcessOptions<GatewayContext> {
  return {
    kind: 'incoming operation',
    request,
    context: caller,
    incomingRequestContext: { overallCachePolicy: restrict ? { restrict } : undefined },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

describe('AuthenticatedDataSource (undici request)', () => {
  it("posts the operation as JSON with a token bound to it that the subgraph's verifier accepts", async () => {
    answer = json(200, { data: { claims: { totalCount: 3 } } });
    const source = new AuthenticatedDataSource('claims', url, signer, undefined, http);
    const request = {
      query: 'query Q($n: Int) { claims(first: $n) { totalCount } }',
      variables: { n: 3 },
      operationName: 'Q',
    };
    const response = await source.process(incoming(request));
    expect(response).toEqual({ data: { claims: { totalCount: 3 } } });

    expect(received).toHaveLength(1);
    const [call] = received as [Received];
    expect(call.method).toBe('POST');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-correlation-id']).toBe('corr-subgraph-calls');
    expect(call.body).toEqual(request);
    const verifier = new InternalTokenVerifier(signer.publicKeyPem, 'claims');
    const token = call.headers[INTERNAL_TOKEN_HEADER] as string;
    await expect(verifier.verify(token, requestDigest(call.body))).resolves.toEqual({
      principal: { sub: 'adv-7', roles: ['advisor'] },
      correlationId: 'corr-subgraph-calls',
      clientIp: '203.0.113.9',
    });
    // for this subgraph only
    await expect(
      new InternalTokenVerifier(signer.publicKeyPem, 'identity').verify(token, requestDigest(call.body)),
    ).rejects.toMatchObject({ code: 'AUTH.NOT_FROM_GATEWAY' });
  });

  it('keeps the connection alive between calls', async () => {
    answer = json(200, { data: { ok: true } });
    const source = new AuthenticatedDataSource('claims', url, signer, undefined, http);
    const sockets = new Set<unknown>();
    const seen = (socket: unknown) => sockets.add(socket);
    server.on('connection', seen);
    try {
      for (let i = 0; i < 3; i++) await source.process(incoming({ query: '{ ok }' }));
    } finally {
      server.off('connection', seen);
    }
    expect(received).toHaveLength(3);
    expect(sockets.size).toBeLessThanOrEqual(1);
  });

  it('reports a non-2xx answer as Apollo did: status and text, the code for 401 and 403, the body', async () => {
    const source = new AuthenticatedDataSource('claims', url, signer, undefined, http);
    answer = json(401, { errors: [{ message: 'no' }] });
    await expect(source.process(incoming({ query: '{ a }' }))).rejects.toMatchObject({
      message: '401: Unauthorized',
      extensions: {
        code: 'UNAUTHENTICATED',
        response: { url, status: 401, statusText: 'Unauthorized', body: { errors: [{ message: 'no' }] } },
      },
    });
    answer = json(403, {});
    await expect(source.process(incoming({ query: '{ a }' }))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    answer = (res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway upstream');
    };
    const error = (await source.process(incoming({ query: '{ a }' })).catch((e: unknown) => e)) as {
      message: string;
      extensions: Record<string, unknown>;
    };
    expect(error.message).toBe('502: Bad Gateway');
    expect(error.extensions).toEqual({
      response: { url, status: 502, statusText: 'Bad Gateway', body: 'bad gateway upstream' },
    });
  });

  it('refuses a 200 whose body is not JSON, and fails on a subgraph that is down', async () => {
    const source = new AuthenticatedDataSource('claims', url, signer, undefined, http);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    };
    await expect(source.process(incoming({ query: '{ a }' }))).rejects.toThrow(
      'Expected JSON response body, but received: <html>proxy login</html>',
    );
    const down = new AuthenticatedDataSource('claims', 'http://127.0.0.1:1/graphql', signer, undefined, http);
    await expect(down.process(incoming({ query: '{ a }' }))).rejects.toThrow(/ECONNREFUSED|connect/);
  });

  it("restricts the response's cache policy by the subgraph's Cache-Control", async () => {
    const source = new AuthenticatedDataSource('claims', url, signer, undefined, http);
    const restrict = jest.fn();
    answer = json(200, { data: {} }, { 'cache-control': 'max-age=30, private' });
    await source.process(incoming({ query: '{ a }' }, restrict));
    answer = json(200, { data: {} }, { 'cache-control': 'no-store' });
    await source.process(incoming({ query: '{ a }' }, restrict));
    expect(restrict.mock.calls).toEqual([[{ maxAge: 30, scope: 'PRIVATE' }], [{ maxAge: 0 }]]);
  });
});
