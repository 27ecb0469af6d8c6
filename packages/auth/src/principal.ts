/** Who is calling, as the gateway established it and passes it to subgraphs. */
export type Role = 'advisor' | 'supervisor' | 'client' | 'partner' | 'system';

export interface Principal {
  /** subject: advisor id, client id, partner id or service name */
  sub: string;
  roles: Role[];
  /** display name when the token carries one */
  name?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ sub: 'anonymous', roles: [] as Role[] });

export const hasRole = (p: Principal, ...roles: Role[]): boolean => roles.some((r) => p.roles.includes(r));

const ROLES: readonly Role[] = ['advisor', 'supervisor', 'client', 'partner', 'system'];
export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as string[]).includes(value);
