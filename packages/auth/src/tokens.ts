// Two kinds of tokens, both JWTs handled by `jose` (a maintained, dependency-free JOSE
// implementation; hand-written JWT code is a classic source of vulnerabilities):
//  - user tokens (advisors, supervisors...) presented at the gateway, HS256 with a shared
//    secret from the identity provider, checked for issuer, audience and expiry;
//  - internal tokens minted by the gateway for each subgraph call, short-lived, bound to
//    the subgraph's name as audience: a subgraph refuses any call without one, so only the
//    gateway can reach it.
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { AuthError } from './errors';
import { isRole, type Principal } from './principal';

export const INTERNAL_TOKEN_HEADER = 'x-crm-internal-token';
const INTERNAL_ISSUER = 'crm-gateway';

const key = (secret: string): Uint8Array => {
  if (secret.length < 32) throw new Error('token secrets must be at least 32 characters');
  return new TextEncoder().encode(secret);
};

function toPrincipal(payload: JWTPayload): Principal {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  if (typeof payload.sub !== 'string' || payload.sub === '')
    throw new AuthError('AUTH.INVALID_TOKEN', 'token has no subject');
  const principal: Principal = { sub: payload.sub, roles };
  if (typeof payload.name === 'string') principal.name = payload.name;
  return principal;
}

function mapJoseError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof joseErrors.JWTExpired) return new AuthError('AUTH.EXPIRED_TOKEN', 'token expired');
  return new AuthError('AUTH.INVALID_TOKEN', 'invalid token');
}

export interface UserTokenSettings {
  secret: string;
  issuer: string;
  audience: string;
}

export interface VerifiedUser {
  principal: Principal;
  /** seconds since epoch; the subscription server closes sockets at this time */
  expiresAt: number;
}

export async function verifyUserToken(token: string, s: UserTokenSettings): Promise<VerifiedUser> {
  try {
    const { payload } = await jwtVerify(token, key(s.secret), {
      issuer: s.issuer,
      audience: s.audience,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    return { principal: toPrincipal(payload), expiresAt: payload.exp! };
  } catch (err) {
    throw mapJoseError(err);
  }
}

/** Issues a user token (the demo identity provider, tests and the benchmarks use it). */
export async function issueUserToken(
  principal: Principal,
  s: UserTokenSettings,
  ttlSeconds = 3600,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return new SignJWT({ roles: principal.roles, ...(principal.name ? { name: principal.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.sub)
    .setIssuer(s.issuer)
    .setAudience(s.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key(s.secret));
}

export async function mintInternalToken(
  principal: Principal,
  subgraph: string,
  secret: string,
  extra: { correlationId?: string } = {},
  ttlSeconds = 60,
): Promise<string> {
  return new SignJWT({
    roles: principal.roles,
    ...(principal.name ? { name: principal.name } : {}),
    ...extra,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.sub)
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(subgraph)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

export interface InternalCaller {
  principal: Principal;
  correlationId?: string;
}

export async function verifyInternalToken(
  token: string | undefined,
  subgraph: string,
  secret: string,
): Promise<InternalCaller> {
  if (!token) throw new AuthError('AUTH.NOT_FROM_GATEWAY', 'subgraphs accept calls from the gateway only');
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: INTERNAL_ISSUER,
      audience: subgraph,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    const caller: InternalCaller = { principal: toPrincipal(payload) };
    if (typeof payload.correlationId === 'string') caller.correlationId = payload.correlationId;
    return caller;
  } catch (err) {
    const mapped = mapJoseError(err);
    throw new AuthError('AUTH.NOT_FROM_GATEWAY', `internal token rejected: ${mapped.message}`);
  }
}
