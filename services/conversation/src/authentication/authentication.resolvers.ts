// Query.authenticationAlerts (staff) and the alert's references: thin.
import { pageSize } from '@crm/subgraph';
import type { ConversationContext } from '../context';
import type { QueryAuthenticationAlertsArgs } from '../generated/graphql';
import type { AlertView, AuthenticationGuard } from './authentication.service';

export function authenticationResolvers(guard: AuthenticationGuard, clock: () => Date) {
  return {
    Query: {
      authenticationAlerts: (_: unknown, args: QueryAuthenticationAlertsArgs) =>
        guard.alerts(pageSize(args), clock()),
    },
    AuthenticationAlert: {
      // a reference the gateway completes from identity (staff read the client's record there)
      client: (alert: AlertView) => (alert.clientId ? { __typename: 'Client', id: alert.clientId } : null),
      conversation: (alert: AlertView, _: unknown, ctx: ConversationContext) =>
        alert.conversationId ? ctx.loaders.conversationById.load(alert.conversationId) : null,
    },
  };
}
