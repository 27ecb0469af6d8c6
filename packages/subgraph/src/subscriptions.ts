// Subscriptions of a subgraph: a graphql-ws server on the subgraph's own /graphql (same port
// as HTTP), for the gateway only. The gateway passes its per-subgraph internal token in the
// connection_init payload (`{ "x-crm-internal-token": "<jwt>" }`); a missing or bad token
// closes the socket with 4403. Only `subscription` operations are served here: queries and
// mutations keep going over HTTP, where the rest of the request pipeline lives.
import type { Server } from 'node:http';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  INTERNAL_TOKEN_HEADER,
  SOCKET_BINDING,
  type InternalCaller,
  type InternalTokenVerifier,
} from '@crm/auth';
import type { Logger } from '@crm/logging';
import { baseContext, type BaseContext } from './base-context';

export interface SubscriptionServerOptions<TContext> {
  name: string;
  schema: GraphQLSchema;
  httpServer: Server;
  logger: Logger;
  /** the HTTP server's verifier: a socket's token is bound to a socket, not a request */
  tokens: InternalTokenVerifier;
  context: (base: BaseContext) => TContext | Promise<TContext>;
  /**
   * How an error reaches the gateway (the HTTP server's formatSubgraphError): stable codes of
   * DomainError and AuthError kept, anything unexpected masked and logged.
   */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

export interface SubscriptionServer {
  /** closes every socket (1001 going away) and stops accepting new ones */
  close(): Promise<void>;
}

/** graphql-ws closes the socket with 4408 when no connection_init arrives in time */
export const CONNECTION_INIT_TIMEOUT_MS = 3_000;

export function startSubscriptionServer<TContext>(
  options: SubscriptionServerOptions<TContext>,
): SubscriptionServer {
  const { logger } = options;
  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  const callers = new WeakMap<object, InternalCaller>();
  const server = useServer(
    {
      schema: options.schema,
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        const token = ctx.connectionParams?.[INTERNAL_TOKEN_HEADER];
        try {
          const caller = await options.tokens.verify(
            typeof token === 'string' ? token : undefined,
            SOCKET_BINDING,
          );
          callers.set(ctx, caller);
          return true;
        } catch {
          return false; // graphql-ws: 4403 Forbidden
        }
      },
      // queries and mutations over the socket would bypass nothing, but they have no use here
      execute: () => ({
        errors: [new GraphQLError('only subscriptions are served over WebSocket; use HTTP')],
      }),
      context: async (ctx) => {
        const caller = callers.get(ctx);
        // onConnect ran and succeeded before any subscribe message is accepted
        if (!caller) throw new GraphQLError('not authenticated');
        return options.context(baseContext(caller, logger));
      },
      // errors in results (a subscribe resolver refusing, a field failing) as over HTTP
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length
          ? { ...result, errors: result.errors.map((e) => options.formatError(e.toJSON(), e)) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn({ errors: errors.map((e) => e.message) }, 'subscription failed');
        return errors.map((e) => options.formatError(e.toJSON(), e));
      },
    },
    wss,
  );
  return {
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
