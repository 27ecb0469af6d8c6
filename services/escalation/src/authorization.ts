// Who may call the subgraph's root fields, whatever token the gateway accepted
// (authorization.int.spec.ts; the README's "Who may do what").
import { requireRole, STAFF } from '@crm/auth';
import { type Context } from './context';

/**
 * The queue holds clients' and leads' personal data and is the insurer's work: every root field
 * needs a staff role (AUTH.FORBIDDEN otherwise), whatever token the gateway accepted. Fields
 * reached through an entity (Claim.escalation, Case.escalation) follow their root's check.
 */
export function staffOnly<P, A, R>(what: string, resolve: (parent: P, args: A, ctx: Context) => R) {
  return (parent: P, args: A, ctx: Context): R => {
    requireRole(ctx.principal, STAFF, what);
    return resolve(parent, args, ctx);
  };
}
