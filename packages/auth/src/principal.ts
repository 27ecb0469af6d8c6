import { AuthError } from './errors';

/**
 * Who is calling, as the gateway established it and passes it to subgraphs. `conversation` is a
 * chat widget's visitor before (and after) the bot knows who he is: his token's subject is the one
 * conversation he may talk in (conversation-tokens.ts).
 */
export type Role = 'advisor' | 'supervisor' | 'client' | 'partner' | 'system' | 'conversation';

export interface Principal {
  /** subject: advisor id, client id, partner id, service name or conversation id */
  sub: string;
  roles: Role[];
  /** display name when the token carries one */
  name?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ sub: 'anonymous', roles: [] as Role[] });

export const hasRole = (p: Principal, ...roles: Role[]): boolean => roles.some((r) => p.roles.includes(r));

/** The insurer's people and the services themselves: who may see and work the claims back office. */
export const STAFF: readonly Role[] = ['advisor', 'supervisor', 'system'];

/**
 * Throws AUTH.FORBIDDEN unless the principal has one of the roles. `what` names the operation
 * in the message (the code is what clients rely on).
 */
export function requireRole(p: Principal, roles: readonly Role[], what: string): void {
  if (!hasRole(p, ...roles)) {
    throw new AuthError('AUTH.FORBIDDEN', `${what} needs one of the roles ${roles.join(', ')}`);
  }
}

const ROLES: readonly Role[] = ['advisor', 'supervisor', 'client', 'partner', 'system', 'conversation'];
export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as string[]).includes(value);
