// The gateway's graphql-ws server on /graphql (same port as HTTP). Close codes:
//   4408  no connection_init within 3 s (graphql-ws connectionInitWaitTimeout)
//   4403  connection_init without a valid user token (`{ authorization: "Bearer <jwt>" }`)
//   4401  the token expired while the socket was open (closed at the token's exp)
//   4429  the caller already has as many sockets open as allowed (maxSocketsPerPrincipal)
//   1009  a frame larger than maxPayloadBytes (the ws library's own close)
// A caller (a token's subject) may hold maxSubscriptionsPerPrincipal live subscriptions across
// his sockets on this gateway; one more is refused with LIMIT.SUBSCRIPTIONS.
// Subscriptions only (queries and mutations go over HTTP), with the same operation limits as
// HTTP (token limit at parse, depth/aliases/cost at validation).
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  OperationTypeNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '@crm/logging';
import type { BoundedCache } from '@crm/subgraph';
import { authenticate, type AcceptedTokens } from './auth';
import { clientIpOf } from './client-ip';
import { costRefusal } from './cost';
import type { FederatedSubscriptions } from './federated-subscriptions';
import { limitRules, type OperationLimits } from './limits';
import { rateLimitMessage, upgradesLimitedByAddress, type RateLimits } from './rate-limits';
import type { GatewayContext } from './subgraph-calls';

export const CONNECTION_INIT_TIMEOUT_MS = 3_000;
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_TOO_MANY_SOCKETS = 4429;

/** What one caller may hold open on one gateway process. */
export interface SocketLimits {
  maxPayloadBytes: number;
  maxSocketsPerPrincipal: number;
  maxSubscriptionsPerPrincipal: number;
}

const ONLY_SUBSCRIPTIONS = () =>
  new GraphQLError('only subscriptions are served over WebSocket; use HTTP', {
    extensions: { code: 'BAD_REQUEST' },
  });

export interface GatewayWsOptions {
  httpServer: Server;
  subscriptions: FederatedSubscriptions;
  tokens: AcceptedTokens;
  /** TRUST_PROXY_HOPS (client-ip.ts) */
  trustProxyHops: number;
  limits: OperationLimits;
  sockets: SocketLimits;
  logger: Logger;
  formatError: (formatted: GraphQLFormattedError) => GraphQLFormattedError;
  /** connection attempts: per address at the upgrade (429), per subject at connection_init (4429) */
  rateLimits?: RateLimits;
  /** clock of the expiry timer (tests) */
  now?: () => number;
  /** subscription documents parsed and validated, by their text (none kept when absent) */
  documents?: BoundedCache<DocumentNode>;
}

export interface GatewayWs {
  close(): Promise<void>;
  /** sockets and live subscriptions open on this process (metrics) */
  open(): { sockets: number; subscriptions: number };
}

export function startGatewayWs(options: GatewayWsOptions): GatewayWs {
  const { subscriptions, logger } = options;
  const now = options.now ?? Date.now;
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: options.sockets.maxPayloadBytes,
    ...(options.rateLimits
      ? { verifyClient: upgradesLimitedByAddress(options.rateLimits, options.trustProxyHops) }
      : {}),
  });
  const rules = [...specifiedRules, ...limitRules(options.limits)];
  const contexts = new WeakMap<object, GatewayContext>();
  // per caller (token subject): open sockets and live subscriptions on this process
  const socketsOf = new Counter();
  const subscriptionsOf = new Counter();
  const liveIds = new WeakMap<object, Set<string>>();

  const server = useServer(
    {
      schema: subscriptions.schema,
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.['authorization'];
        let expiresAt: number;
        try {
          const user = await authenticate(typeof header === 'string' ? header : undefined, options.tokens);
          const clientIp = clientIpOf(ctx.extra.request, options.trustProxyHops);
          contexts.set(ctx, {
            principal: user.principal,
            correlationId: randomUUID(),
            ...(clientIp ? { clientIp } : {}),
          });
          expiresAt = user.expiresAt;
        } catch {
          return false; // 4403 Forbidden
        }
        const socket = ctx.extra.socket;
        const subject = contexts.get(ctx)!.principal.sub;
        const rate = await options.rateLimits?.consume('principal', subject);
        if (rate && !rate.allowed) {
          socket.close(CLOSE_TOO_MANY_SOCKETS, rateLimitMessage(rate));
          return false;
        }
        if (socketsOf.get(subject) >= options.sockets.maxSocketsPerPrincipal) {
          socket.close(CLOSE_TOO_MANY_SOCKETS, 'too many connections for this caller');
          return false;
        }
        socketsOf.add(subject, 1);
        socket.once('close', () => socketsOf.add(subject, -1));
        const timer = setTimeout(
          () => socket.close(CLOSE_TOKEN_EXPIRED, 'token expired'),
          Math.max(0, expiresAt * 1000 - now()),
        );
        socket.once('close', () => clearTimeout(timer));
        return true;
      },
      onSubscribe: (ctx, id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const context = contexts.get(ctx);
        if (!context)
          return [new GraphQLError('not authenticated', { extensions: { code: 'AUTH.MISSING_TOKEN' } })];
        // a document parsed and validated once is shared by every subscription of it (the
        // planned operation in FederatedSubscriptions hangs on it too); refusals are not kept
        let document = options.documents?.peek(payload.query);
        if (!document) {
          try {
            document = parse(payload.query, { maxTokens: options.limits.maxTokens });
          } catch (err) {
            const message = err instanceof Error ? err.message : 'could not parse the operation';
            return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
          }
          const errors = validate(subscriptions.schema, document, rules);
          if (errors.length) {
            return errors.map(
              (e) =>
                new GraphQLError(e.message, {
                  ...(e.nodes ? { nodes: e.nodes } : {}),
                  extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
                }),
            );
          }
          options.documents?.keep(payload.query, document);
        }
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [ONLY_SUBSCRIPTIONS()];
        }
        const tooCostly = costRefusal(
          {
            schema: subscriptions.schema,
            document,
            variables: payload.variables,
            operationName: payload.operationName,
          },
          options.limits.maxCost,
        );
        if (tooCostly) return [tooCostly];
        const subject = context.principal.sub;
        if (subscriptionsOf.get(subject) >= options.sockets.maxSubscriptionsPerPrincipal) {
          return [
            new GraphQLError(
              `at most ${options.sockets.maxSubscriptionsPerPrincipal} live subscriptions per caller`,
              { extensions: { code: 'LIMIT.SUBSCRIPTIONS' } },
            ),
          ];
        }
        subscriptionsOf.add(subject, 1);
        const ids = liveIds.get(ctx) ?? new Set<string>();
        ids.add(id);
        liveIds.set(ctx, ids);
        return {
          schema: subscriptions.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? {},
          // one correlation id per subscription, so its subgraph calls can be followed
          contextValue: { ...context, correlationId: randomUUID() },
        };
      },
      subscribe: (args) => subscriptions.subscribe(args),
      // also called for the live subscriptions of a socket that closed abruptly
      onComplete: (ctx, id) => {
        const context = contexts.get(ctx);
        if (context && liveIds.get(ctx)?.delete(id)) subscriptionsOf.add(context.principal.sub, -1);
      },
      execute: () => ({ errors: [ONLY_SUBSCRIPTIONS()] }),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length
          ? { ...result, errors: result.errors.map((e) => options.formatError(toFormatted(e))) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => options.formatError(toFormatted(e))),
    },
    wss,
  );
  logger.debug('graphql-ws server on /graphql');
  return {
    open: () => ({ sockets: socketsOf.total, subscriptions: subscriptionsOf.total }),
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Counts per key, forgetting a key at zero (a subject with nothing open costs nothing). */
class Counter {
  private readonly counts = new Map<string, number>();
  /** the sum over every key */
  total = 0;
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  add(key: string, delta: number): void {
    this.total += delta;
    const next = this.get(key) + delta;
    if (next > 0) this.counts.set(key, next);
    else this.counts.delete(key);
  }
}

function toFormatted(error: unknown): GraphQLFormattedError {
  if (error instanceof GraphQLError) return error.toJSON();
  if (error && typeof error === 'object' && 'message' in error) return error as GraphQLFormattedError;
  return { message: String(error) };
}
