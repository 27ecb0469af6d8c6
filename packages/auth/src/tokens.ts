// Two kinds of tokens, both JWTs handled by `jose` (a maintained, dependency-free JOSE
// implementation; hand-written JWT code is a classic source of vulnerabilities):
//  - user tokens (advisors, supervisors...) presented at the gateway, HS256 with a shared
//    secret from the identity provider, checked for issuer, audience and expiry;
//  - internal tokens the gateway mints for each subgraph call (internal-tokens.ts).
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { AuthError } from './errors';
import { isRole, type Principal } from './principal';

const key = (secret: string): Uint8Array => {
  if (secret.length < 32) throw new Error('token secrets must be at least 32 characters');
  return new TextEncoder().encode(secret);
};

export function toPrincipal(payload: JWTPayload): Principal {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  if (typeof payload.sub !== 'string' || payload.sub === '')
    throw new AuthError('AUTH.INVALID_TOKEN', 'token has no subject');
  const principal: Principal = { sub: payload.sub, roles };
  if (typeof payload.name === 'string') principal.name = payload.name;
  return principal;
}

export function mapJoseError(err: unknown): AuthError {
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
