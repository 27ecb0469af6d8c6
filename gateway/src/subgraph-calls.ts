// Calls from the gateway to subgraphs: each request carries a token minted for that subgraph
// (audience = its name) and that request (its digest), living seconds, with the caller's
// identity, the correlation id and the caller's address.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_TOKEN_HEADER, requestDigest, type InternalTokenSigner, type Principal } from '@crm/auth';

export interface GatewayContext {
  principal: Principal;
  correlationId: string;
  /** the caller's address (client-ip.ts) */
  clientIp?: string;
}

export const SYSTEM_PRINCIPAL: Principal = { sub: 'gateway', roles: ['system'] };

export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly tokens: InternalTokenSigner,
  ) {
    super({ url });
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
  }
}
