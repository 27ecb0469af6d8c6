// Internal tokens: the gateway vouches for the caller on each subgraph call.
//
// - Signed with the gateway's Ed25519 private key (EdDSA); subgraphs hold only the public key,
//   so a compromised subgraph can read tokens but cannot mint one for another subgraph.
// - Bound to one subgraph (audience), to one request (the digest of its query, operation name
//   and variables: the token cannot carry another query) and to one use (`jti`, refused when
//   seen again by the same process), and they live 10 seconds.
// - A subscription socket's token is bound to that socket instead of a request (the gateway
//   multiplexes one caller's subscriptions to a subgraph over one socket).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from './errors';
import type { Principal } from './principal';
import { mapJoseError, toPrincipal } from './tokens';

export const INTERNAL_TOKEN_HEADER = 'x-crm-internal-token';
const INTERNAL_ISSUER = 'crm-gateway';
/** explicit typing (RFC 8725, 3.11): a conversation token, same key, never passes for one */
const INTERNAL_TYPE = 'crm-internal+jwt';
export const INTERNAL_TOKEN_TTL_SECONDS = 10;
/** tolerated clock difference between the gateway's machine and a subgraph's */
const CLOCK_TOLERANCE_SECONDS = 5;
/** the binding of a token that opens a subscription socket, in place of a request digest */
export const SOCKET_BINDING = 'subscription-socket';

/** What a GraphQL request asks, as the gateway sends it and the subgraph receives it. */
export interface RequestShape {
  query?: string | null;
  operationName?: string | null;
  variables?: unknown;
}

/**
 * The digest a token is bound to: SHA-256 over the query, the operation name and the variables
 * as JSON. JSON.parse then JSON.stringify keeps keys in order, so the subgraph computes the
 * digest the gateway computed from the body it receives.
 */
export function requestDigest(request: RequestShape): string {
  return createHash('sha256')
    .update(request.query ?? '')
    .update('\n')
    .update(request.operationName ?? '')
    .update('\n')
    .update(JSON.stringify(request.variables ?? {}))
    .digest('base64url');
}

/**
 * The digest a token for a plain HTTP route (not GraphQL) is bound to: its path, so a token
 * minted for one audio key opens no other (GET /audio/<key>.mp3 on the conversation service).
 */
export function routeDigest(pathname: string): string {
  return requestDigest({ query: `route ${pathname}` });
}

/**
 * A key from configuration: a PEM block, with `\n` written as two characters where an
 * environment file cannot hold a line break. Text around the block is ignored (as OpenSSL
 * does), which lets a committed development key carry the `dev-only` marker.
 */
export function pemOf(value: string): string {
  const text = value.replace(/\\n/g, '\n');
  const block = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/.exec(text);
  if (!block) throw new Error('not a PEM key (-----BEGIN ... KEY-----)');
  return `${block[0]}\n`;
}

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${what} must be an Ed25519 key (got ${key.asymmetricKeyType ?? 'a secret key'})`);
  }
  return key;
}

export function privateKeyOf(value: string): KeyObject {
  return ed25519(createPrivateKey(pemOf(value)), 'the internal token private key');
}

export function publicKeyOf(value: string): KeyObject {
  const pem = pemOf(value);
  // node derives a public key from a private one: refuse it, the subgraphs must not hold it
  if (pem.includes('PRIVATE KEY')) throw new Error('a private key where the public key belongs');
  return ed25519(createPublicKey(pem), 'the internal token public key');
}

/** Whether `parse` accepts the configured value (for the configuration schemas). */
export function isKey(parse: (value: string) => KeyObject, value: string): boolean {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

/** A new key pair, PEM encoded (`npm start` makes one per run; `npm run keys:internal` prints one). */
export function generateInternalKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface InternalCaller {
  principal: Principal;
  correlationId?: string;
  /** the address the request came from, as the gateway saw it (for counting failures per IP) */
  clientIp?: string;
}

/** What a token is bound to besides its audience: a request digest or SOCKET_BINDING. */
export interface TokenBinding {
  request: string;
  correlationId?: string;
  clientIp?: string;
}

/** The gateway's side: mints a token for one subgraph call. */
export class InternalTokenSigner {
  private readonly key: KeyObject;
  /** the matching public key, PEM (what subgraphs are configured with) */
  readonly publicKeyPem: string;

  constructor(
    privateKey: string | KeyObject,
    private readonly ttlSeconds = INTERNAL_TOKEN_TTL_SECONDS,
  ) {
    this.key =
      typeof privateKey === 'string' ? privateKeyOf(privateKey) : ed25519(privateKey, 'the private key');
    this.publicKeyPem = createPublicKey(this.key).export({ type: 'spki', format: 'pem' }).toString();
  }

  mint(
    principal: Principal,
    audience: string,
    binding: TokenBinding,
    now = Math.floor(Date.now() / 1000),
  ): Promise<string> {
    return new SignJWT({
      roles: principal.roles,
      ...(principal.name ? { name: principal.name } : {}),
      req: binding.request,
      ...(binding.correlationId ? { correlationId: binding.correlationId } : {}),
      ...(binding.clientIp ? { ip: binding.clientIp } : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: INTERNAL_TYPE })
      .setSubject(principal.sub)
      .setIssuer(INTERNAL_ISSUER)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.key);
  }

  /** Signs any other token the gateway issues (the chat widget's conversation tokens). */
  get signingKey(): KeyObject {
    return this.key;
  }

  /** Checks what signingKey signed. */
  get verifyingKey(): KeyObject {
    return createPublicKey(this.key);
  }
}

const notFromGateway = (why: string) =>
  new AuthError('AUTH.NOT_FROM_GATEWAY', `internal token rejected: ${why}`);

/**
 * A subgraph's side: checks the signature, the audience, the binding and that the token was not
 * used before. Tokens seen are remembered until they expire, so the memory is bounded by the
 * calls of the last TTL + tolerance seconds.
 */
export class InternalTokenVerifier {
  private readonly key: KeyObject;
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  constructor(
    publicKey: string | KeyObject,
    private readonly audience: string,
    private readonly clock: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.key = typeof publicKey === 'string' ? publicKeyOf(publicKey) : ed25519(publicKey, 'the public key');
  }

  async verify(token: string | undefined, binding: string): Promise<InternalCaller> {
    if (!token) throw new AuthError('AUTH.NOT_FROM_GATEWAY', 'subgraphs accept calls from the gateway only');
    const now = this.clock();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: INTERNAL_ISSUER,
        audience: this.audience,
        typ: INTERNAL_TYPE,
        algorithms: ['EdDSA'],
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now * 1000),
      }));
    } catch (err) {
      throw notFromGateway(mapJoseError(err).message);
    }
    // a token minted for a longer life than ours is not one the gateway minted
    if (payload.exp! - payload.iat! > INTERNAL_TOKEN_TTL_SECONDS * 6) throw notFromGateway('lives too long');
    if (payload.req !== binding) throw notFromGateway('bound to another request');
    this.remember(payload.jti!, payload.exp! + CLOCK_TOLERANCE_SECONDS, now);
    const caller: InternalCaller = { principal: toPrincipal(payload) };
    if (typeof payload.correlationId === 'string') caller.correlationId = payload.correlationId;
    if (typeof payload.ip === 'string') caller.clientIp = payload.ip;
    return caller;
  }

  private remember(jti: string, until: number, now: number): void {
    if (now >= this.nextSweep) {
      for (const [id, expires] of this.seen) if (expires < now) this.seen.delete(id);
      this.nextSweep = now + 1;
    }
    const known = this.seen.get(jti);
    if (known !== undefined && known >= now) throw notFromGateway('already used (replayed)');
    this.seen.set(jti, until);
  }
}
