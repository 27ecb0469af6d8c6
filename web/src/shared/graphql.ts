// The one GraphQL client both front ends use: urql over HTTP for queries and mutations, and
// graphql-ws on the same origin for subscriptions (the gateway's /graphql socket). The token
// travels as a bearer header and as the socket's connection_init payload; nothing else leaves
// the page, and only for the page's own origin.
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

export interface GraphQLClients {
  client: Client;
  ws: WsClient;
  dispose(): void;
}

export function createGraphQLClients(token: string): GraphQLClients {
  const origin = window.location.origin;
  const ws = createWsClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    // a dropped socket (a gateway restart, a network change) comes back by itself
    retryAttempts: Infinity,
    shouldRetry: () => true,
    keepAlive: 15_000,
  });
  const client = new Client({
    url: `${origin}/graphql`,
    // the claim file changes under the advisor's eyes: read the network, show the cache meanwhile
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, ws, dispose: () => void ws.dispose() };
}
