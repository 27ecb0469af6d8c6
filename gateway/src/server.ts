// The gateway: @apollo/gateway on the committed supergraph, behind node:http with
// authentication, operation limits, CSRF prevention and errors without internals.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ApolloGateway, type GatewayConfig } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { AuthError, InternalTokenSigner, type UserTokenSettings } from '@crm/auth';
import type { Logger } from '@crm/logging';
import type { DocumentNode } from 'graphql';
import { setupTracing, type Tracing } from '@crm/tracing';
import { Gauge } from 'prom-client';
import {
  BoundedCache,
  executeGraphQLHttp,
  listen,
  METRICS_PATH,
  MIB,
  operationSpanPlugin,
  ProcessMetrics,
  sendGraphQLError,
  sendJson,
  serveMetrics,
  traceGraphQLRequest,
} from '@crm/subgraph';
import { audioProxy, isAudioPath } from './audio';
import { authenticate, type AcceptedTokens } from './auth';
import { CHAT_SESSIONS_PATH, openChatSession } from './chat-sessions';
import { clientIpOf } from './client-ip';
import { costLimitPlugin } from './cost';
import type { Env } from './env';
import { formatGatewayError } from './errors';
import { serveExplorer } from './explorer';
import { FederatedSubscriptions } from './federated-subscriptions';
import { limitRules } from './limits';
import { startRateLimits } from './rate-limits';
import { isRestPath, startRestApi } from './rest';
import {
  AuthenticatedDataSource,
  subgraphCallMetrics,
  subgraphHttpClient,
  type GatewayContext,
} from './subgraph-calls';
import { loadWebApps } from './web';
import { startGatewayWs } from './ws';

/** what the gateway's query plan cache holds (the type is @apollo/query-planner's) */
type QueryPlan = Parameters<NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>['set']>[1];

const repoRoot = join(__dirname, '..', '..');

export interface GatewayServer {
  url: string;
  port: number;
  httpServer: Server;
  stop(): Promise<void>;
}

export function subgraphUrls(env: Env): Record<string, string> {
  return {
    identity: env.IDENTITY_URL,
    claims: env.CLAIMS_URL,
    conversation: env.CONVERSATION_URL,
    reimbursement: env.REIMBURSEMENT_URL,
    escalation: env.ESCALATION_URL,
  };
}

export function loadSupergraph(path: string): string {
  return readFileSync(isAbsolute(path) ? path : join(repoRoot, path), 'utf8');
}

export async function startGateway(
  env: Env,
  logger: Logger,
  options: {
    /** the gateway's traces; by default set up from env (off without an OTLP endpoint) */
    tracing?: Tracing;
  } = {},
): Promise<GatewayServer> {
  const production = env.NODE_ENV === 'production';
  const tracing = options.tracing ?? setupTracing({ serviceName: 'gateway', env });
  const urls = subgraphUrls(env);
  const userTokens: UserTokenSettings = {
    secret: env.JWT_SECRET,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
  };
  const supergraphSdl = loadSupergraph(env.SUPERGRAPH_PATH);
  const web = loadWebApps(
    isAbsolute(env.WEB_DIST_PATH) ? env.WEB_DIST_PATH : join(repoRoot, env.WEB_DIST_PATH),
    { watch: !production },
  );
  if (!web.available)
    logger.warn('web front ends not built (npm run web:build): /console and /chat answer 503');
  const tokens = new InternalTokenSigner(env.INTERNAL_TOKEN_PRIVATE_KEY);
  // the bot's voice, sealed in the conversation service's store: only it can open a clip
  const serveAudio = audioProxy(env.CONVERSATION_URL, tokens);
  const accepted: AcceptedTokens = { user: userTokens, conversations: tokens.verifyingKey };
  const metrics = new ProcessMetrics({ service: 'gateway', processSeries: true });
  const calls = subgraphCallMetrics(metrics.registry);
  const http = subgraphHttpClient();
  const dataSources: Record<string, AuthenticatedDataSource> = Object.fromEntries(
    Object.entries(urls).map(([name, url]) => [
      name,
      new AuthenticatedDataSource(name, url, tokens, calls, http, tracing),
    ]),
  );
  const documents = new BoundedCache<DocumentNode>('documents', env.DOCUMENT_CACHE_MIB * MIB);
  const queryPlans = new BoundedCache<QueryPlan>('query_plans', env.QUERY_PLAN_CACHE_MIB * MIB);
  // graphql-ws documents: few distinct operations, each shared by its many subscriptions
  const subscriptionDocuments = new BoundedCache<DocumentNode>(
    'subscription_documents',
    (env.DOCUMENT_CACHE_MIB * MIB) / 8,
  );
  metrics.watchCache(documents);
  metrics.watchCache(queryPlans);
  metrics.watchCache(subscriptionDocuments);
  const gateway = new ApolloGateway({
    supergraphSdl,
    queryPlannerConfig: { cache: queryPlans },
    buildService: ({ name, url }) => {
      const known = dataSources[name];
      if (known) return known;
      if (!url) throw new Error(`no URL for subgraph ${name}`);
      return new AuthenticatedDataSource(name, url, tokens, calls, http, tracing);
    },
  });
  const limits = {
    maxDepth: env.MAX_DEPTH,
    maxAliases: env.MAX_ALIASES,
    maxCost: env.MAX_COST,
    maxTokens: env.MAX_TOKENS,
  };
  const formatError = formatGatewayError(logger, production);

  const httpServer = createServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    documentStore: documents,
    introspection: !production,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    validationRules: limitRules(limits),
    parseOptions: { maxTokens: env.MAX_TOKENS },
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metrics.plugin<GatewayContext>(),
      ...(tracing.enabled ? [operationSpanPlugin<GatewayContext>()] : []),
      costLimitPlugin(env.MAX_COST),
    ],
  });
  const rateLimits = await startRateLimits(env, logger);
  await apollo.start();
  const rest = await startRestApi({
    env,
    apollo,
    accepted,
    rateLimits,
    logger,
    context: requestContext,
  });
  let shuttingDown = false;
  const subscriptions = new FederatedSubscriptions({
    supergraphSdl,
    dataSources,
    subgraphUrls: urls,
    tokens,
    logger,
  });
  const ws = startGatewayWs({
    httpServer,
    subscriptions,
    tokens: accepted,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    limits,
    sockets: {
      maxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
      maxSocketsPerPrincipal: env.MAX_SOCKETS_PER_PRINCIPAL,
      maxSubscriptionsPerPrincipal: env.MAX_SUBSCRIPTIONS_PER_PRINCIPAL,
    },
    logger,
    formatError,
    rateLimits,
    documents: subscriptionDocuments,
  });
  new Gauge({
    name: 'crm_ws_open',
    help: 'graphql-ws sockets and live subscriptions open on this gateway process',
    labelNames: ['kind'],
    registers: [metrics.registry],
    collect() {
      const open = ws.open();
      this.set({ kind: 'sockets' }, open.sockets);
      this.set({ kind: 'subscriptions' }, open.subscriptions);
    },
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/health/live') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/health/ready') {
      return shuttingDown
        ? sendJson(res, 503, { status: 'shutting-down' })
        : sendJson(res, 200, { status: 'ready' });
    }
    if (url.pathname === METRICS_PATH && req.method === 'GET')
      return serveMetrics(req, res, metrics.registry, env.METRICS_TOKEN);
    if (!production && req.method === 'GET' && serveExplorer(url.pathname, res)) return;
    if (web.serve(req, res, url.pathname)) return;
    if (!(await rateLimits.admit(res, 'ip', clientIpOf(req, env.TRUST_PROXY_HOPS)))) return;
    if (isAudioPath(url.pathname)) return serveAudio(req, res, url.pathname);
    if (url.pathname === CHAT_SESSIONS_PATH) {
      return openChatSession(req, res, { apollo, tokens, logger, context: requestContext(req) });
    }
    if (isRestPath(url.pathname)) return rest.handle(req, res, url);
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
    return traceGraphQLRequest(tracing, req, res, false, () => graphql(req, res, url));
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let principal;
    try {
      principal = (await authenticate(req.headers.authorization, accepted)).principal;
    } catch (err) {
      const code = err instanceof AuthError ? err.code : 'AUTH.INVALID_TOKEN';
      return sendGraphQLError(res, 401, code, err instanceof AuthError ? err.message : 'invalid token');
    }
    if (!(await rateLimits.admit(res, 'principal', principal.sub))) return;
    const context = requestContext(req);
    res.setHeader('x-correlation-id', context.correlationId);
    await executeGraphQLHttp(apollo, req, res, url, () => Promise.resolve({ ...context, principal }));
  }

  /** The correlation id (the caller's when it looks like one, never trusted blindly) and address. */
  function requestContext(req: IncomingMessage): Omit<GatewayContext, 'principal'> {
    const header = req.headers['x-correlation-id'];
    const supplied = Array.isArray(header) ? header[0] : header;
    const correlationId = supplied && /^[A-Za-z0-9._-]{8,64}$/.test(supplied) ? supplied : randomUUID();
    const clientIp = clientIpOf(req, env.TRUST_PROXY_HOPS);
    return { correlationId, ...(clientIp ? { clientIp } : {}) };
  }

  httpServer.on('request', (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'gateway request failed');
      if (!res.headersSent) sendGraphQLError(res, 500, 'INTERNAL', 'Internal server error');
    });
  });
  const { port, url } = await listen(httpServer, env.PORT, env.HOST);
  logger.info({ url }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    httpServer,
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        await ws.close();
        await subscriptions.close();
        await apollo.stop();
        await rateLimits.close();
        await rest.close();
        await http.close();
        // a tracing the caller gave is the caller's to stop
        if (!options.tracing) await tracing.shutdown(Math.min(1000, Math.floor(env.SHUTDOWN_TIMEOUT_MS / 5)));
        logger.info('gateway stopped');
      })();
      return stopping;
    },
  };
}
