// The subgraph server factory: one Apollo Server 5 Federation 2 subgraph on node:http, with
// health and readiness endpoints, gateway-only access, error mapping and graceful shutdown.
// Apollo Server 5 has no built-in HTTP framework integration; its documented
// `executeHTTPGraphQLRequest` is wired to node:http here, which keeps the dependency set small.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { enforcePolicies, type PolicyMap } from './policies';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import {
  AuthError,
  INTERNAL_TOKEN_HEADER,
  InternalTokenVerifier,
  requestDigest,
  routeDigest,
  type InternalCaller,
  type RequestShape,
} from '@crm/auth';
import type { Logger } from '@crm/logging';
import { TRACING_OFF, type Tracing } from '@crm/tracing';
import { KEY_RELEASE_MAX_BODY_BYTES, KEY_RELEASE_PATH, type KeyReleaseServer } from '@crm/privacy';
import { DomainError } from './errors';
import { BoundedCache, MIB } from './caches';
import { METRICS_PATH, serveMetrics, type ProcessMetrics } from './metrics';
import { executeGraphQLHttp, listen, readBody, readGraphQLBody, sendGraphQLError, sendJson } from './http';
import { baseContext, type BaseContext } from './base-context';
import { startSubscriptionServer } from './subscriptions';
import { operationSpanPlugin, traceGraphQLRequest } from './tracing';

export type { BaseContext } from './base-context';

export interface HealthCheck {
  name: string;
  /** resolves to undefined when healthy, else a short reason */
  check: () => Promise<string | undefined>;
}

/**
 * A plain HTTP route beside /graphql (the conversation service's /audio/). Gateway only, like
 * /graphql: the call carries an internal token bound to its path (routeDigest), else 401.
 */
export interface HttpRoute {
  /** paths starting with this are the route's */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, caller: InternalCaller): Promise<void>;
}

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
  /** who may use each field (deny by default: a field without one stops the start) */
  policies: PolicyMap;
  port: number;
  host?: string;
  logger: Logger;
  /** the gateway's public key (PEM): a call without a token it signed is refused (401) */
  internalTokenPublicKey: string;
  /** builds the per-request context (request-scoped data loaders live here) */
  context: (base: BaseContext) => TContext | Promise<TContext>;
  /** readiness: the service can take traffic (database reachable, consumers connected) */
  readiness?: HealthCheck[];
  /** liveness: the process is not wedged (a consumer making no progress while lag grows) */
  liveness?: HealthCheck[];
  introspection?: boolean;
  /** stops the service's own parts (consumers, relay, database) after HTTP has drained */
  onShutdown?: () => Promise<void>;
  plugins?: ApolloServerPlugin<TContext>[];
  /** served at /metrics (metrics.ts); its request series count every operation */
  metrics?: ProcessMetrics;
  /** the bearer token /metrics asks for (without one: callers on this machine only) */
  metricsToken?: string;
  /** the bound of the parsed-operation cache (caches.ts; default 4 MiB) */
  documentCacheBytes?: number;
  /** plain HTTP routes, gateway only (HttpRoute) */
  routes?: HttpRoute[];
  /**
   * POST /privacy/keys, for the other services (not through the gateway: it checks their own
   * tokens, @crm/privacy key-release.ts)
   */
  keyRelease?: Pick<KeyReleaseServer, 'answer'>;
  /** a server span per operation, a child of the gateway's call (off unless given) */
  tracing?: Tracing;
}

export interface SubgraphServer {
  url: string;
  port: number;
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * A check's own words when it reports a reason; only `failed` when it throws: a driver's
 * message (hosts, users, SQL) goes to the log, never to whoever can reach /health.
 */
async function runChecks(
  checks: HealthCheck[],
  logger: Logger,
): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        return [c.name, (await c.check()) ?? 'ok'] as const;
      } catch (err) {
        logger.warn({ err, check: c.name }, 'health check failed');
        return [c.name, 'failed'] as const;
      }
    }),
  );
  return { ok: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}

/** One place where errors become what clients see. */
export function formatSubgraphError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
      };
    }
    if (original instanceof AuthError) {
      return { message: original.message, extensions: { code: original.code } };
    }
    const code = formatted.extensions?.code;
    // GraphQL parse/validation and bad user input are the client's, and safe to show
    if (
      !original ||
      code === 'GRAPHQL_VALIDATION_FAILED' ||
      code === 'GRAPHQL_PARSE_FAILED' ||
      code === 'BAD_USER_INPUT'
    ) {
      return formatted;
    }
    const errorId = randomUUID();
    logger.error({ err: original, errorId, path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL', errorId },
    };
  };
}

/** What a request asks, from its JSON body (POST) or its query string (GET), for the token's binding. */
function shapeOf(body: unknown, url: URL): RequestShape {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  if (body !== undefined) return { query: JSON.stringify(body) }; // a batch: bound to nothing the gateway signs
  const variables = url.searchParams.get('variables');
  let parsedVariables: unknown;
  try {
    parsedVariables = variables ? JSON.parse(variables) : undefined;
  } catch {
    parsedVariables = variables;
  }
  return {
    query: url.searchParams.get('query'),
    operationName: url.searchParams.get('operationName'),
    variables: parsedVariables,
  };
}

export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphServer> {
  const { logger } = options;
  const tracing = options.tracing ?? TRACING_OFF;
  const httpServer = createServer();
  const schema = enforcePolicies(
    buildSubgraphSchema([
      { typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> },
    ]),
    options.policies,
    options.name,
  );
  const documents = new BoundedCache<DocumentNode>('documents', options.documentCacheBytes ?? 4 * MIB);
  options.metrics?.watchCache(documents);
  const apollo = new ApolloServer<TContext>({
    schema,
    documentStore: documents,
    introspection: options.introspection ?? false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatSubgraphError(logger),
    // federated traces are for Apollo Studio, which this system does not report to
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      ...(options.metrics ? [options.metrics.plugin<TContext>()] : []),
      ...(tracing.enabled ? [operationSpanPlugin<TContext>()] : []),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();
  let shuttingDown = false;
  const tokens = new InternalTokenVerifier(options.internalTokenPublicKey, options.name);
  // a subgraph with `type Subscription` also speaks graphql-ws on /graphql (gateway only)
  const subscriptions = schema.getSubscriptionType()
    ? startSubscriptionServer<TContext>({
        name: options.name,
        schema,
        httpServer,
        logger,
        tokens,
        context: options.context,
        formatError: formatSubgraphError(logger),
      })
    : undefined;

  httpServer.on('request', (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'request handling failed');
      if (!res.headersSent) sendGraphQLError(res, 500, 'INTERNAL', 'Internal server error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health/live') {
      const report = await runChecks(options.liveness ?? [], logger);
      return sendJson(res, report.ok ? 200 : 503, { status: report.ok ? 'ok' : 'unhealthy', ...report });
    }
    if (url.pathname === '/health/ready') {
      if (shuttingDown) return sendJson(res, 503, { status: 'shutting-down' });
      const report = await runChecks(options.readiness ?? [], logger);
      return sendJson(res, report.ok ? 200 : 503, { status: report.ok ? 'ready' : 'not-ready', ...report });
    }
    if (url.pathname === METRICS_PATH && options.metrics && req.method === 'GET')
      return serveMetrics(req, res, options.metrics.registry, options.metricsToken);
    if (url.pathname === KEY_RELEASE_PATH && options.keyRelease) {
      const body =
        req.method === 'POST' ? await readBody(req, KEY_RELEASE_MAX_BODY_BYTES).catch(() => undefined) : '';
      const out = await options.keyRelease.answer({
        method: req.method ?? 'GET',
        authorization: req.headers.authorization,
        body,
      });
      return sendJson(res, out.status, out.body, { 'cache-control': 'no-store' });
    }
    const route = options.routes?.find((r) => url.pathname.startsWith(r.prefix));
    if (route) {
      const routeToken = req.headers[INTERNAL_TOKEN_HEADER];
      let routeCaller: InternalCaller;
      try {
        routeCaller = await tokens.verify(
          Array.isArray(routeToken) ? routeToken[0] : routeToken,
          routeDigest(url.pathname),
        );
      } catch (err) {
        const code = err instanceof AuthError ? err.code : 'AUTH.NOT_FROM_GATEWAY';
        return sendJson(res, 401, { error: 'subgraphs accept calls from the gateway only', code });
      }
      return route.handle(req, res, url, routeCaller);
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
    return traceGraphQLRequest(tracing, req, res, true, () => graphql(req, res, url));
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parsed = await readGraphQLBody(req, res);
    if (!parsed) return;
    const token = req.headers[INTERNAL_TOKEN_HEADER];
    let caller: InternalCaller;
    try {
      caller = await tokens.verify(
        Array.isArray(token) ? token[0] : token,
        requestDigest(shapeOf(parsed.body, url)),
      );
    } catch (err) {
      const code = err instanceof AuthError ? err.code : 'AUTH.NOT_FROM_GATEWAY';
      return sendGraphQLError(res, 401, code, 'subgraphs accept calls from the gateway only');
    }

    await executeGraphQLHttp(
      apollo,
      req,
      res,
      url,
      async () => options.context(baseContext(caller, logger)),
      parsed,
    );
  }

  const { port, url } = await listen(httpServer, options.port, options.host ?? '127.0.0.1');
  logger.info({ url, subgraph: options.name }, 'subgraph listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    httpServer,
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        await subscriptions?.close();
        await apollo.stop(); // drains in-flight requests, then closes the HTTP server
        await options.onShutdown?.();
        logger.info({ subgraph: options.name }, 'subgraph stopped');
      })();
      return stopping;
    },
  };
}

/** signals within this time of the first are the same stop request, echoed */
const SIGNAL_ECHO_MS = 1000;

/**
 * SIGTERM/SIGINT stop the server once, within graceMs (SHUTDOWN_TIMEOUT_MS) or the process exits
 * 1 anyway; a second signal (a second Ctrl-C, not the echo of the first) exits at once (130).
 */
export function stopOnSignals(server: { stop(): Promise<void> }, logger: Logger, graceMs = 10_000): void {
  let signalledAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalledAt !== undefined) {
      // one Ctrl-C can arrive twice (the terminal signals the process group, and tsx or npm
      // forwards it to its child): a second signal counts when it is a person's second press
      if (Date.now() - signalledAt < SIGNAL_ECHO_MS) return;
      process.exit(130);
    }
    signalledAt = Date.now();
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ graceMs }, 'graceful shutdown overran; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
