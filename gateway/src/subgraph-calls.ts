// Calls from the gateway to subgraphs: each request carries a short-lived token minted for
// that subgraph (audience = its name) with the caller's identity and the correlation id.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_TOKEN_HEADER, mintInternalToken, type Principal } from '@crm/auth';

export interface GatewayContext {
  principal: Principal;
  correlationId: string;
}

export const SYSTEM_PRINCIPAL: Principal = { sub: 'gateway', roles: ['system'] };

export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly secret: string,
  ) {
    super({ url });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // the gateway's own calls (health checks) carry no caller: they run as the gateway
    const caller = 'incomingRequestContext' in options ? options.context : undefined;
    const principal = caller?.principal ?? SYSTEM_PRINCIPAL;
    const correlationId = caller?.correlationId;
    const request = options.request;
    const token = await mintInternalToken(
      principal,
      this.subgraph,
      this.secret,
      correlationId ? { correlationId } : {},
    );
    request.http?.headers.set(INTERNAL_TOKEN_HEADER, token);
    if (correlationId) request.http?.headers.set('x-correlation-id', correlationId);
  }
}
