// A Hive Gateway plugin that does per request what our gateway does (gateway/src/auth.ts and
// gateway/src/subgraph-calls.ts), with @crm/auth's functions, so that the benchmark compares
// two gateways doing the same work:
//  - onRequest: the caller's `Authorization: Bearer` token is verified (verifyPresentedToken:
//    a user token, HS256 with issuer and audience, or a chat widget's); without a valid one the
//    request ends with 401, as ours answers;
//  - onFetch: every subgraph call carries an internal token minted for that subgraph (audience),
//    bound to the body Hive sends (requestDigest over its query, operation name and variables)
//    and used once (jti), with the caller's identity, the correlation id and the caller's address;
//    the correlation id also travels as x-correlation-id.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import {
  AuthError,
  INTERNAL_TOKEN_HEADER,
  requestDigest,
  verifyPresentedToken,
  type InternalTokenSigner,
  type Principal,
  type RequestShape,
  type UserTokenSettings,
} from '@crm/auth';

interface Caller {
  principal: Principal;
  correlationId: string;
  clientIp?: string;
}

/** the gateway's own calls (none in the benchmark: the supergraph is a file) run as the gateway */
const SYSTEM_PRINCIPAL: Principal = { sub: 'gateway', roles: ['system'] };

const unauthorized = (code: string, message: string) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });

export function useCrmTokens(options: {
  userTokens: UserTokenSettings;
  signer: InternalTokenSigner;
  graphqlEndpoint?: string;
}): GatewayPlugin {
  const { userTokens, signer } = options;
  const graphqlEndpoint = options.graphqlEndpoint ?? '/graphql';
  // the conversation tokens the gateway issues are checked with its own public key (auth.ts)
  const conversations = signer.verifyingKey;
  const callers = new WeakMap<Request, Caller>();

  return {
    async onRequest(payload) {
      const { request, url, serverContext } = payload;
      if (url.pathname !== graphqlEndpoint) return;
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
      if (!match?.[1]) {
        payload.endResponse(unauthorized('AUTH.MISSING_TOKEN', 'an Authorization: Bearer token is required'));
        return;
      }
      let principal: Principal;
      try {
        ({ principal } = await verifyPresentedToken(match[1], userTokens, conversations));
      } catch (err) {
        payload.endResponse(
          err instanceof AuthError
            ? unauthorized(err.code, err.message)
            : unauthorized('AUTH.INVALID_TOKEN', 'invalid token'),
        );
        return;
      }
      const supplied = request.headers.get('x-correlation-id');
      const correlationId = supplied && /^[A-Za-z0-9._-]{8,64}$/.test(supplied) ? supplied : randomUUID();
      // Hive on node:http: the server context holds the node request (the socket's peer)
      const peer = (serverContext as { req?: IncomingMessage }).req?.socket.remoteAddress;
      const clientIp = peer?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
      callers.set(request, { principal, correlationId, ...(clientIp ? { clientIp } : {}) });
    },

    async onFetch(payload) {
      const { context, executionRequest, options: init } = payload;
      const subgraph = executionRequest?.subgraphName;
      if (!subgraph) return; // not a subgraph call
      const caller = 'request' in context ? callers.get(context.request) : undefined;
      // the digest of what the subgraph will read: the JSON body Hive serialized
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as RequestShape) : {};
      const token = await signer.mint(caller?.principal ?? SYSTEM_PRINCIPAL, subgraph, {
        request: requestDigest(body),
        ...(caller ? { correlationId: caller.correlationId } : {}),
        ...(caller?.clientIp ? { clientIp: caller.clientIp } : {}),
      });
      payload.setOptions({
        ...init,
        headers: {
          ...init.headers,
          [INTERNAL_TOKEN_HEADER]: token,
          ...(caller ? { 'x-correlation-id': caller.correlationId } : {}),
        },
      });
    },
  };
}
