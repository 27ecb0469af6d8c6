import { hasRole, type Principal } from '@crm/auth';
import type { Actor } from '@crm/events';

/**
 * The event envelope's actor for a change made by the gateway's principal, by its strongest
 * role (a supervisor acts as an advisor). The id is cut to the envelope's 200 characters.
 */
export function actorOf(principal: Principal): Actor {
  const kind: Actor['kind'] = hasRole(principal, 'advisor', 'supervisor')
    ? 'advisor'
    : hasRole(principal, 'client')
      ? 'client'
      : hasRole(principal, 'partner')
        ? 'partner'
        : 'system';
  return { kind, id: principal.sub.slice(0, 200) || 'anonymous' };
}
