// Apollo Server 5 on node:http: its documented executeHTTPGraphQLRequest wired to a plain
// request/response pair. Shared by the subgraphs and the gateway.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext as ApolloBaseContext } from '@apollo/server';
import { DomainError } from './errors';

const MAX_BODY_BYTES = 1_000_000;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new DomainError('REQUEST.TOO_LARGE', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Sends a GraphQL-shaped error response (for failures before Apollo runs: auth, bad JSON). */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * The JSON body of a POST (`{}` when empty, undefined for other methods); `null` when it is not
 * JSON, after answering 400.
 */
export async function readGraphQLBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ body: unknown } | null> {
  if (req.method !== 'POST') return { body: undefined };
  const raw = await readBody(req);
  try {
    return { body: raw ? JSON.parse(raw) : {} };
  } catch {
    sendGraphQLError(res, 400, 'BAD_REQUEST', 'request body is not JSON');
    return null;
  }
}

/** Runs one GraphQL HTTP request; `parsed` is the body when the caller already read it. */
export async function executeGraphQLHttp<TContext extends ApolloBaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: () => Promise<TContext>,
  parsed?: { body: unknown },
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const read = parsed ?? (await readGraphQLBody(req, res));
  if (!read) return;
  const body = read.body;
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context,
  });
  for (const [key, value] of result.headers) res.setHeader(key, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Listens on host:port (0 = any free port) and resolves to the port and the /graphql URL. */
export async function listen(
  httpServer: Server,
  port: number,
  host: string,
): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const bound = (httpServer.address() as AddressInfo).port;
  return { port: bound, url: `http://${host}:${bound}/graphql` };
}
