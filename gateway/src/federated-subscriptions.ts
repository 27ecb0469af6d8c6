// Federated subscriptions, for any subgraph's `Subscription` field. The query planner plans a
// subscription as { kind: 'Subscription', primary: FetchNode, rest?: PlanNode }: `primary`
// is the owning subgraph's own subscription (opened over graphql-ws), and each event it sends
// is completed by running the plan [primary, rest] with executeQueryPlan, where the primary
// fetch is answered with the event and every other fetch goes to the subgraphs as usual.
// (executeQueryPlan refuses only a plan whose top node is a Subscription.)
import type { GraphQLDataSource } from '@apollo/gateway';
import {
  GraphQLError,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { INTERNAL_TOKEN_HEADER, SOCKET_BINDING, type InternalTokenSigner, type Principal } from '@crm/auth';
import type { Logger } from '@crm/logging';
import {
  PlannedSupergraph,
  type FetchNode,
  type OperationContext,
  type PlanRequestContext,
  type QueryPlan,
} from './apollo-internals';
import type { GatewayContext } from './subgraph-calls';

type DataSourceRequest = Parameters<GraphQLDataSource<GatewayContext>['process']>[0];
type DataSourceResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;

export interface FederatedSubscriptionsOptions {
  supergraphSdl: string;
  /** the gateway's data sources (the same as its HTTP queries use) */
  dataSources: Record<string, GraphQLDataSource<GatewayContext>>;
  /** subgraph name -> its HTTP /graphql URL; graphql-ws speaks on the same URL */
  subgraphUrls: Record<string, string>;
  /** mints the token of each upstream socket */
  tokens: InternalTokenSigner;
  logger: Logger;
  /**
   * Identical fetches (same subgraph, caller, operation and variables) of subscriptions fed
   * by the same change are sent once: N subscribers of one change cost one call per entity
   * fetch, not N; likewise the same operation of the same caller fed the same event is
   * completed once. A result is reused for this long after it arrived.
   */
  sharedFetchMs?: number;
}

/** A subscription operation, planned: shared by every subscription of it. */
interface Prepared {
  /** the owning subgraph's own subscription */
  primary: FetchNode;
  /** what completes each event: [primary, rest] */
  completion: QueryPlan;
  operationContext: OperationContext;
  /** the operation printed, with its name: part of the key of results shared by subscribers */
  printed: string;
}

const principalKey = (p: Principal) => `${p.sub}|${[...p.roles].sort().join(',')}|${p.name ?? ''}`;

export const toWebSocketUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

export class FederatedSubscriptions {
  readonly schema: GraphQLSchema;
  private readonly supergraph: PlannedSupergraph;
  private readonly upstream = new Map<string, { client: Client; users: number }>();
  private readonly shared = new Map<string, Promise<DataSourceResponse>>();
  private readonly sharedResults = new Map<string, Promise<ExecutionResult>>();
  private readonly sharedFetchMs: number;
  /** per document (weakly: it lives as long as ws.ts's document cache keeps it) and operation name */
  private readonly preparedOps = new WeakMap<DocumentNode, Map<string, Prepared>>();

  constructor(private readonly options: FederatedSubscriptionsOptions) {
    this.supergraph = new PlannedSupergraph(options.supergraphSdl);
    this.schema = this.supergraph.schema;
    this.sharedFetchMs = options.sharedFetchMs ?? 250;
  }

  plan(document: DocumentNode, operationName?: string): QueryPlan {
    return this.supergraph.plan(document, operationName);
  }

  /**
   * What a subscription needs of its operation, made once per document and operation name: the
   * subscriptions of one operation share it (with the documents ws.ts caches, a thousand
   * subscribers of the queue hold one plan, not a thousand).
   */
  private prepared(document: DocumentNode, operationName: string | undefined): Prepared {
    let byName = this.preparedOps.get(document);
    if (!byName) {
      byName = new Map();
      this.preparedOps.set(document, byName);
    }
    const name = operationName ?? '';
    let prepared = byName.get(name);
    if (!prepared) {
      const node = this.plan(document, operationName).node;
      if (node?.kind !== 'Subscription') {
        throw new GraphQLError('not a subscription operation', { extensions: { code: 'BAD_REQUEST' } });
      }
      prepared = {
        primary: node.primary,
        completion: {
          kind: 'QueryPlan',
          node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary,
        },
        operationContext: this.supergraph.operationContext(document, operationName),
        printed: `${print(document)}\n${name}`,
      };
      byName.set(name, prepared);
    }
    return prepared;
  }

  /** graphql-ws's `subscribe`: the document is parsed and validated already. */
  subscribe(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    const context = args.contextValue as GatewayContext;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    let prepared: Prepared;
    try {
      prepared = this.prepared(args.document, args.operationName ?? undefined);
    } catch (err) {
      return { errors: [err instanceof GraphQLError ? err : new GraphQLError(String(err))] };
    }
    return this.run(prepared, context, variables);
  }

  // A hand-written iterator rather than an async generator: a generator's return() waits for
  // its pending await, so a client that leaves a quiet subscription would hold the upstream
  // subscription until the next change; here return() ends the upstream one at once.
  private run(
    prepared: Prepared,
    context: GatewayContext,
    variables: Record<string, unknown>,
  ): AsyncIterableIterator<ExecutionResult> {
    const { primary, completion, operationContext } = prepared;
    const upstreamVariables = Object.fromEntries(
      (primary.variableUsages ?? []).filter((v) => v in variables).map((v) => [v, variables[v]]),
    );
    // subscribers of the same operation, as the same caller, get the same result for the same
    // event: it is computed once (N subscribers of a queue cost one plan execution per change)
    const operationKey = `${principalKey(context.principal)}\n${prepared.printed}\n${JSON.stringify(variables)}`;
    const { client, release } = this.connect(primary.serviceName, context);
    const events = client.iterate<Record<string, unknown>>({
      query: primary.operation,
      variables: upstreamVariables,
      ...(primary.operationName ? { operationName: primary.operationName } : {}),
    });
    let closed = false;
    const close = async (): Promise<IteratorResult<ExecutionResult>> => {
      if (!closed) {
        closed = true;
        release();
        await events.return?.();
      }
      return { done: true, value: undefined };
    };
    const next = async (): Promise<IteratorResult<ExecutionResult>> => {
      if (closed) return { done: true, value: undefined };
      let step: IteratorResult<FormattedExecutionResult<Record<string, unknown>, unknown>>;
      try {
        step = await events.next();
      } catch (err) {
        await close();
        throw upstreamError(primary.serviceName, err);
      }
      if (step.done) return close();
      const event = step.value;
      if (!event.data) {
        return {
          done: false,
          value: { errors: (event.errors ?? []).map((e) => new GraphQLError(e.message, { ...e })) },
        };
      }
      const key = `${operationKey}\n${JSON.stringify(event.data)}`;
      let result = this.sharedResults.get(key);
      if (!result) {
        result = this.complete(completion, primary, event, context, variables, operationContext);
        this.share(this.sharedResults, key, result);
      }
      return { done: false, value: await result };
    };
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next,
      return: close,
      throw: async (err: unknown) => {
        await close();
        throw err instanceof Error ? err : new Error('subscription ended');
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private async complete(
    plan: QueryPlan,
    primary: FetchNode,
    event: FormattedExecutionResult<Record<string, unknown>, unknown>,
    context: GatewayContext,
    variables: Record<string, unknown>,
    operationContext: OperationContext,
  ): Promise<ExecutionResult> {
    const callerKey = principalKey(context.principal);
    const serviceMap: Record<string, GraphQLDataSource<GatewayContext>> = {};
    for (const [name, source] of Object.entries(this.options.dataSources)) {
      serviceMap[name] = {
        process: (request: DataSourceRequest) => {
          // the primary fetch is the event the subgraph has just sent
          if (name === primary.serviceName && request.request.query === primary.operation) {
            return Promise.resolve({
              data: event.data ?? null,
              ...(event.errors ? { errors: [...event.errors] } : {}),
            } as DataSourceResponse);
          }
          return this.sharedFetch(name, callerKey, request, () => source.process(request));
        },
      };
    }
    const requestContext = {
      request: { query: primary.operation, variables },
      context,
      metrics: {},
      logger: this.options.logger,
      cache: undefined,
      overallCachePolicy: undefined,
    } as unknown as PlanRequestContext;
    const result = await this.supergraph.execute(plan, serviceMap, requestContext, operationContext);
    return {
      data: result.data ?? null,
      ...(result.errors?.length ? { errors: result.errors } : {}),
    };
  }

  private sharedFetch(
    service: string,
    callerKey: string,
    request: DataSourceRequest,
    send: () => Promise<DataSourceResponse>,
  ): Promise<DataSourceResponse> {
    const key = `${service}\n${callerKey}\n${request.request.query ?? ''}\n${JSON.stringify(request.request.variables ?? {})}`;
    const known = this.shared.get(key);
    if (known) return known;
    const sent = send();
    this.share(this.shared, key, sent);
    return sent;
  }

  /** Keeps `value` under `key` while it runs and `sharedFetchMs` after; a failure is not kept. */
  private share<T>(map: Map<string, Promise<T>>, key: string, value: Promise<T>): void {
    map.set(key, value);
    value.then(
      () => setTimeout(() => map.delete(key), this.sharedFetchMs).unref(),
      () => map.delete(key),
    );
  }

  /** One graphql-ws connection per subgraph and caller, shared by that caller's subscriptions. */
  private connect(service: string, context: GatewayContext): { client: Client; release: () => void } {
    const url = this.options.subgraphUrls[service];
    if (!url) throw new GraphQLError(`no URL for subgraph ${service}`);
    const key = `${service}\n${principalKey(context.principal)}`;
    let link = this.upstream.get(key);
    if (!link) {
      const principal = context.principal;
      const client = createClient({
        url: toWebSocketUrl(url),
        webSocketImpl: WebSocket,
        // a fresh token on every (re)connection: internal tokens are short-lived
        connectionParams: async () => ({
          [INTERNAL_TOKEN_HEADER]: await this.options.tokens.mint(principal, service, {
            request: SOCKET_BINDING,
            correlationId: context.correlationId,
            ...(context.clientIp ? { clientIp: context.clientIp } : {}),
          }),
        }),
        // a replica restarting (or a rolling update) must not end the clients' subscriptions:
        // any failure is retried, connection refusals included (graphql-ws retries only close
        // events by default), for about a minute; each resubscription starts with a fresh snapshot
        retryAttempts: UPSTREAM_RETRY_ATTEMPTS,
        shouldRetry: () => true,
        retryWait: upstreamRetryWait,
        lazy: true,
        lazyCloseTimeout: 1_000,
        onNonLazyError: () => undefined,
      });
      link = { client, users: 0 };
      this.upstream.set(key, link);
    }
    const own = link;
    own.users += 1;
    let released = false;
    return {
      client: own.client,
      release: () => {
        if (released) return;
        released = true;
        own.users -= 1;
        if (own.users === 0 && this.upstream.get(key) === own) {
          this.upstream.delete(key);
          void own.client.dispose();
        }
      },
    };
  }

  async close(): Promise<void> {
    const links = [...this.upstream.values()];
    this.upstream.clear();
    for (const link of links) await link.client.dispose();
  }
}

/** Reconnection attempts to a subgraph before a subscription ends with SUBSCRIPTION.UPSTREAM_CLOSED. */
export const UPSTREAM_RETRY_ATTEMPTS = 8;

/** 1, 2, 4, 8, then 10 s between attempts (about a minute in all), with up to 1 s of jitter. */
export function upstreamRetryWait(retries: number): Promise<void> {
  const ms = Math.min(10_000, 1000 * 2 ** retries) + Math.floor(Math.random() * 1000);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const isCloseEvent = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' &&
  value !== null &&
  'code' in value &&
  typeof value.code === 'number' &&
  'reason' in value;

/**
 * The subgraph's socket closed for good (graphql-ws gave up reconnecting): the client is told
 * so with a stable code, and may subscribe again (a fresh snapshot) once the service is back.
 */
export function upstreamError(service: string, err: unknown): Error {
  if (isCloseEvent(err)) {
    return new GraphQLError(
      `the ${service} service closed the subscription (${err.code}${err.reason ? `: ${err.reason}` : ''}); subscribe again`,
      { extensions: { code: 'SUBSCRIPTION.UPSTREAM_CLOSED', closeCode: err.code } },
    );
  }
  if (err instanceof Error) return err;
  // an error event of the socket (the service refused the connection every time)
  return new GraphQLError(
    `the ${service} service could not be reached for the subscription; subscribe again`,
    {
      extensions: { code: 'SUBSCRIPTION.UPSTREAM_CLOSED' },
    },
  );
}
