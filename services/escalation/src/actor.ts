import { type Principal } from '@crm/auth';
import { type Actor } from '@crm/events';

/** The envelope's actor of a change made by `principal` (a supervisor acts as an advisor). */
export function actorOf(principal: Principal): Actor {
  const { roles } = principal;
  const kind: Actor['kind'] =
    roles.includes('advisor') || roles.includes('supervisor')
      ? 'advisor'
      : roles.includes('client')
        ? 'client'
        : roles.includes('partner')
          ? 'partner'
          : 'system';
  return { kind, id: principal.sub };
}
