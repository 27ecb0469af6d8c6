// Calls from the gateway to subgraphs: each request carries a token minted for that subgraph
// (audience = its name) and that request (its digest), living seconds, with the caller's
// identity, the correlation id and the caller's address.
import { STATUS_CODES } from 'node:http';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Histogram, type Registry } from 'prom-client';
import { Agent, request as undiciRequest } from 'undici';
import { LATENCY_BUCKETS } from '@crm/subgraph';
import { INTERNAL_TOKEN_HEADER, requestDigest, type InternalTokenSigner, type Principal } from '@crm/auth';
import {
  injectTraceContext,
  inSpan,
  SpanKind,
  SpanStatusCode,
  TRACING_OFF,
  type Tracing,
} from '@crm/tracing';

export interface GatewayContext {
  principal: Principal;
  correlationId: string;
  /** the caller's address (client-ip.ts) */
  clientIp?: string;
}

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export const SYSTEM_PRINCIPAL: Principal = { sub: 'gateway', roles: ['system'] };

/** The connections of the subgraph calls, shared by every data source of a gateway. */
export interface SubgraphHttpClient {
  dispatcher: Agent;
  close(): Promise<void>;
}

/**
 * The HTTP client of the subgraph calls: undici's `request` over kept-alive connections.
 * Apollo's default (make-fetch-happen over agent-base) built an Error and read its stack on
 * every request, a third of the gateway's CPU in a profile (issue 21); undici's WHATWG `fetch`,
 * with the node-fetch Request and Headers Apollo's RemoteGraphQLDataSource still built around
 * it, was the next 9% (docs/operations.md, Profiling): `request` skips both.
 */
export function subgraphHttpClient(options: { connectionsPerSubgraph?: number } = {}): SubgraphHttpClient {
  const dispatcher = new Agent({
    connections: options.connectionsPerSubgraph ?? 128,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
  return { dispatcher, close: () => dispatcher.close() };
}

/** Latency of the gateway's calls to each subgraph, by outcome (metrics). */
export function subgraphCallMetrics(registry: Registry): Histogram<'subgraph' | 'outcome'> {
  return new Histogram({
    name: 'crm_subgraph_request_duration_seconds',
    help: "the gateway's calls to a subgraph: time to the response, by subgraph and outcome",
    labelNames: ['subgraph', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

interface CachePolicy {
  restrict(hint: { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' }): void;
}

/** What the subgraph's Cache-Control says, as Apollo's RemoteGraphQLDataSource reads it. */
function cacheHint(header: string | undefined): { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } {
  const hint: { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } = { maxAge: 0 };
  for (const directive of (header ?? '').split(',')) {
    const [name, value] = directive.trim().split('=') as [string, string | undefined];
    if (name === 'max-age' && value && /^[0-9]+$/.test(value)) hint.maxAge = Number(value);
    else if (name === 'private') hint.scope = 'PRIVATE';
    else if (name === 'public') hint.scope = 'PUBLIC';
  }
  return hint;
}

const headerOf = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/**
 * One subgraph as the gateway calls it. It does what Apollo's RemoteGraphQLDataSource does
 * (POST the operation as JSON, read a JSON answer, a non-2xx status as an error with the same
 * message, code and `extensions.response`, the subgraph's Cache-Control restricting the
 * response's cache policy; no APQ, as before) with undici's `request`, and adds what the trust
 * boundary needs: a token minted for this subgraph and this request (audience the subgraph,
 * bound to the request's digest, living seconds) with the caller, the correlation id and the
 * caller's address; a client span and the call's latency by outcome.
 */
export class AuthenticatedDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    readonly url: string,
    private readonly tokens: InternalTokenSigner,
    private readonly calls: Histogram<'subgraph' | 'outcome'> | undefined,
    private readonly http: SubgraphHttpClient,
    private readonly tracing: Tracing = TRACING_OFF,
  ) {}

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    if (!this.tracing.enabled) return this.timed(options);
    // a client span per call, active while the request is built: its traceparent goes out with
    // the call, and the subgraph's server span becomes its child
    return inSpan(
      this.tracing,
      `subgraph ${this.subgraph}`,
      { kind: SpanKind.CLIENT, attributes: { 'crm.subgraph': this.subgraph } },
      async (span) => {
        const response = await this.timed(options);
        span.setAttribute('crm.outcome', response.errors?.length ? 'graphql-errors' : 'ok');
        if (response.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      },
    );
  }

  private async timed(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    if (!this.calls) return this.send(options);
    const started = process.hrtime.bigint();
    let outcome = 'error';
    try {
      const response = await this.send(options);
      outcome = response.errors?.length ? 'graphql-errors' : 'ok';
      return response;
    } finally {
      this.calls.observe(
        { subgraph: this.subgraph, outcome },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  /** The headers of one call: its token, the correlation id, the trace context. */
  private async headers(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<Record<string, string>> {
    // the gateway's own calls (health checks) carry no caller: they run as the gateway
    const caller = 'incomingRequestContext' in options ? options.context : undefined;
    const principal = caller?.principal ?? SYSTEM_PRINCIPAL;
    const correlationId = caller?.correlationId;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of options.request.http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers[INTERNAL_TOKEN_HEADER.toLowerCase()] = await this.tokens.mint(principal, this.subgraph, {
      request: requestDigest(options.request),
      ...(correlationId ? { correlationId } : {}),
      ...(caller?.clientIp ? { clientIp: caller.clientIp } : {}),
    });
    if (correlationId) headers['x-correlation-id'] = correlationId;
    if (this.tracing.enabled) injectTraceContext((name, value) => (headers[name.toLowerCase()] = value));
    return headers;
  }

  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    const { query, variables, operationName, extensions } = options.request;
    if (!query) throw new Error('Missing query');
    const headers = await this.headers(options);
    const response = await undiciRequest(this.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables, operationName, extensions }),
      dispatcher: this.http.dispatcher,
    });
    const contentType = headerOf(response.headers, 'content-type') ?? '';
    const json =
      contentType.startsWith('application/json') ||
      contentType.startsWith('application/graphql-response+json');
    // read whole in every case: a body left unread holds its connection
    const body: unknown = json ? await response.body.json() : await response.body.text();
    const status = response.statusCode;
    if (status < 200 || status > 299) throw this.httpError(status, body);
    if (typeof body !== 'object' || body === null)
      throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    if ('incomingRequestContext' in options) {
      // typed `any` by @apollo/server-gateway-interface: Apollo Server's CachePolicy
      const policy = options.incomingRequestContext.overallCachePolicy as CachePolicy | undefined;
      if (policy && 'restrict' in policy)
        policy.restrict(cacheHint(headerOf(response.headers, 'cache-control')));
    }
    return body;
  }

  /** A non-2xx answer, as Apollo's RemoteGraphQLDataSource reports it (errorFromResponse). */
  private httpError(status: number, body: unknown): GraphQLError {
    const statusText = STATUS_CODES[status] ?? '';
    return new GraphQLError(`${status}: ${statusText}`, {
      extensions: {
        response: { url: this.url, status, statusText, body },
        ...(status === 401 ? { code: 'UNAUTHENTICATED' } : status === 403 ? { code: 'FORBIDDEN' } : {}),
      },
    });
  }
}
