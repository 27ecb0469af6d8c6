// Calls from the gateway to subgraphs: each request carries a token minted for that subgraph
// (audience = its name) and that request (its digest), living seconds, with the caller's
// identity, the correlation id and the caller's address.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Histogram, type Registry } from 'prom-client';
import { Agent, fetch as undiciFetch } from 'undici';
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

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export const SYSTEM_PRINCIPAL: Principal = { sub: 'gateway', roles: ['system'] };

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/**
 * The HTTP client of the subgraph calls: undici with kept-alive connections. Apollo's default
 * (make-fetch-happen over agent-base) built an Error and read its stack on every request: a
 * third of the gateway's CPU in a profile (issue 21). Responses are the WHATWG shape Apollo reads.
 */
export function subgraphHttpClient(options: { connectionsPerSubgraph?: number } = {}): {
  fetcher: Fetcher;
  close(): Promise<void>;
} {
  const dispatcher = new Agent({
    connections: options.connectionsPerSubgraph ?? 128,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
  const fetcher = ((url: string, init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(url, { ...init, dispatcher })) as unknown as Fetcher;
  return { fetcher, close: () => dispatcher.close() };
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

export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly tokens: InternalTokenSigner,
    private readonly calls?: Histogram<'subgraph' | 'outcome'>,
    fetcher?: Fetcher,
    private readonly tracing: Tracing = TRACING_OFF,
  ) {
    super(fetcher ? { url, fetcher } : { url });
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    if (!this.tracing.enabled) return this.timed(options);
    // a client span per call, active while the request is built: willSendRequest injects its
    // traceparent, and the subgraph's server span becomes its child
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
    if (!this.calls) return super.process(options);
    const started = process.hrtime.bigint();
    let outcome = 'error';
    try {
      const response = await super.process(options);
      outcome = response.errors?.length ? 'graphql-errors' : 'ok';
      return response;
    } finally {
      this.calls.observe(
        { subgraph: this.subgraph, outcome },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // the gateway's own calls (health checks) carry no caller: they run as the gateway
    const caller = 'incomingRequestContext' in options ? options.context : undefined;
    const principal = caller?.principal ?? SYSTEM_PRINCIPAL;
    const correlationId = caller?.correlationId;
    const request = options.request;
    const token = await this.tokens.mint(principal, this.subgraph, {
      request: requestDigest(request),
      ...(correlationId ? { correlationId } : {}),
      ...(caller?.clientIp ? { clientIp: caller.clientIp } : {}),
    });
    request.http?.headers.set(INTERNAL_TOKEN_HEADER, token);
    if (correlationId) request.http?.headers.set('x-correlation-id', correlationId);
    if (this.tracing.enabled) injectTraceContext((name, value) => request.http?.headers.set(name, value));
  }
}
