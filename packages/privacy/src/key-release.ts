// Key release: how a service reads the personal fields of another service's events (issue 18,
// docs/privacy.md, Events). The producer sealed them under the data key it keeps for the person;
// a consumer asks the producer for that key over HTTP and keeps it in memory for a short while.
// Once the producer shreds the key (an erasure), no consumer can get it again, so every copy of
// those events (Kafka history, dead letters, outbox rows, backups) stays unreadable.
//
// - The request is a POST of `{ "subjects": [...] }` with a bearer token: a JWT (HS256, jose)
//   signed with the secret the services share, issued by the asking service, for the producer
//   (audience), bound to the body's digest, living 30 seconds.
// - The producer releases keys only to a service that consumes one of its events with personal
//   fields (`allowed`: SUBSCRIPTION_CATALOG), and never creates a key.
// - Each key travels wrapped (AES-256-GCM) under a transport key derived (HKDF-SHA256) from the
//   secret for that producer and that consumer, bound to the subject: whoever reads the traffic
//   without the secret learns nothing, and a key cannot be replayed as another subject's.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { ConfigError, DEV_SECRET_MARKER } from '@crm/config';
import { BoundedCache } from './cache';
import { KEY_BYTES } from './master-keys';

export const KEY_RELEASE_PATH = '/privacy/keys';
const TOKEN_TTL_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_SUBJECTS = 100;
/** the largest key release request read (a hundred subjects fit many times over) */
export const KEY_RELEASE_MAX_BODY_BYTES = 64 * 1024;
const TYPE = 'crm-key-release+jwt';

export type KeyReleaseErrorCode =
  /** the producer did not answer, or answered something else than keys */
  | 'PRIVACY.KEY_RELEASE_UNAVAILABLE'
  /** the producer refused (401, 403): a secret or a subscription that does not match */
  | 'PRIVACY.KEY_RELEASE_REFUSED';

export class KeyReleaseError extends Error {
  constructor(
    readonly code: KeyReleaseErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'KeyReleaseError';
  }
}

/** Outside production, with nothing configured: the secret every development process shares. */
export const DEV_EVENT_KEYS_SECRET = `${DEV_SECRET_MARKER} key release secret of the development setups`;

/** The key release secret a process runs with; ConfigError when production has none. */
export function eventKeysSecretOf(env: {
  NODE_ENV: 'development' | 'test' | 'production';
  PRIVACY_EVENT_KEYS_SECRET?: string | undefined;
}): string {
  if (env.PRIVACY_EVENT_KEYS_SECRET) return env.PRIVACY_EVENT_KEYS_SECRET;
  if (env.NODE_ENV === 'production')
    throw new ConfigError(['PRIVACY_EVENT_KEYS_SECRET: required in production (docs/privacy.md, Events)']);
  return DEV_EVENT_KEYS_SECRET;
}

/** The secret as key bytes (the configured text, at least 32 characters). */
const secretBytes = (secret: string): Uint8Array => {
  if (secret.length < 32) throw new Error('the key release secret has at least 32 characters');
  return new TextEncoder().encode(secret);
};

function transportKey(secret: string, producer: string, consumer: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', secretBytes(secret), 'crm key release v1', `${producer}\u0000${consumer}`, KEY_BYTES),
  );
}

const bodyDigest = (body: string) => createHash('sha256').update(body).digest('base64url');
const subjectAad = (subject: string) => Buffer.from(`key\u0000${subject}`, 'utf8');

function wrapKey(transport: Buffer, subject: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', transport, iv);
  cipher.setAAD(subjectAad(subject));
  const body = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function unwrapKey(transport: Buffer, subject: string, text: string): Buffer {
  const raw = Buffer.from(text, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', transport, raw.subarray(0, 12));
  decipher.setAAD(subjectAad(subject));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const key = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  if (key.length !== KEY_BYTES) throw new Error('a released key has the wrong length');
  return key;
}

/** What the producer answers: each subject's wrapped key, or the subject in `erased`. */
interface ReleaseBody {
  keys: Record<string, string>;
  erased: string[];
}

export interface KeyReleaseServerOptions {
  /** this service's name (the audience of the tokens it accepts) */
  service: string;
  secret: string;
  /** the live keys among these subjects (PersonalDataVault.liveKeys): never makes one */
  keysOf(subjects: readonly string[]): Promise<ReadonlyMap<string, Buffer>>;
  /** whether this service may receive keys (it consumes one of our events with personal fields) */
  allowed(consumer: string): boolean;
  /** counts each answer (by consumer and outcome), never a subject */
  onRelease?(consumer: string, outcome: 'released' | 'refused', keys: number): void;
  clock?: () => Date;
}

/** The producer's side: POST KEY_RELEASE_PATH. */
export class KeyReleaseServer {
  constructor(private readonly options: KeyReleaseServerOptions) {}

  /**
   * One request, HTTP-free (the subgraph server reads the body, at most KEY_RELEASE_MAX_BODY_BYTES:
   * `body` undefined when it was longer, and writes the answer): the status and the JSON body.
   */
  async answer(request: {
    method: string;
    authorization: string | undefined;
    body: string | undefined;
  }): Promise<{ status: number; body: unknown }> {
    const send = (status: number, body: unknown) => ({ status, body });
    if (request.method !== 'POST')
      return send(405, { code: 'PRIVACY.KEY_RELEASE_METHOD', error: 'POST only' });
    const { body } = request;
    if (body === undefined)
      return send(413, { code: 'PRIVACY.KEY_RELEASE_TOO_LARGE', error: 'request body too large' });
    const header = request.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    let consumer: string;
    try {
      const { payload } = await jwtVerify(token, secretBytes(this.options.secret), {
        algorithms: ['HS256'],
        typ: TYPE,
        audience: this.options.service,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // a token lives TOKEN_TTL_SECONDS from its issue, and is not issued in the future
        maxTokenAge: TOKEN_TTL_SECONDS,
        requiredClaims: ['iss', 'iat', 'exp', 'dig'],
        ...(this.options.clock ? { currentDate: this.options.clock() } : {}),
      });
      if (payload.dig !== bodyDigest(body)) throw new Error('token bound to another body');
      consumer = String(payload.iss);
    } catch {
      this.options.onRelease?.('unknown', 'refused', 0);
      return send(401, { code: 'PRIVACY.KEY_RELEASE_UNAUTHENTICATED', error: 'no valid key release token' });
    }
    if (!this.options.allowed(consumer)) {
      this.options.onRelease?.(consumer, 'refused', 0);
      return send(403, {
        code: 'PRIVACY.KEY_RELEASE_FORBIDDEN',
        error: `${consumer} consumes no event of ${this.options.service} with personal fields`,
      });
    }
    let subjects: string[];
    try {
      const parsed = JSON.parse(body) as { subjects?: unknown };
      const list = parsed.subjects;
      if (
        !Array.isArray(list) ||
        list.length === 0 ||
        list.length > MAX_SUBJECTS ||
        !list.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 200 && !s.startsWith('~'))
      )
        throw new Error('bad subjects');
      subjects = [...new Set(list as string[])];
    } catch {
      return send(400, {
        code: 'PRIVACY.KEY_RELEASE_BAD_REQUEST',
        error: `{ "subjects": [1 to ${MAX_SUBJECTS} ids] } expected`,
      });
    }
    const live = await this.options.keysOf(subjects);
    const transport = transportKey(this.options.secret, this.options.service, consumer);
    const answer: ReleaseBody = { keys: {}, erased: [] };
    for (const subject of subjects) {
      const key = live.get(subject);
      if (key) answer.keys[subject] = wrapKey(transport, subject, key);
      else answer.erased.push(subject);
    }
    this.options.onRelease?.(consumer, 'released', live.size);
    return send(200, answer);
  }
}

export interface KeyReleaseClientOptions {
  /** this service's name (the issuer of its tokens) */
  service: string;
  secret: string;
  /** the base URL of a producing service (http://identity:4001), undefined when unknown */
  urlOf(producer: string): string | undefined;
  /** released keys kept in memory at most, and how long (an erasure is seen after at most this) */
  cacheSize?: number;
  cacheTtlMs?: number;
  timeoutMs?: number;
  clock?: () => Date;
}

/** The consumer's side: a producer's key for a subject, 'erased' once it is shredded. */
export class KeyReleaseClient {
  private readonly cache: BoundedCache<Buffer | 'erased'>;
  private readonly inFlight = new Map<string, Promise<Buffer | 'erased'>>();
  private readonly clock: () => Date;

  constructor(private readonly options: KeyReleaseClientOptions) {
    secretBytes(options.secret);
    this.clock = options.clock ?? (() => new Date());
    this.cache = new BoundedCache(options.cacheSize ?? 10_000, options.cacheTtlMs ?? 60_000, () =>
      this.clock().getTime(),
    );
  }

  async key(producer: string, subject: string): Promise<Buffer | 'erased'> {
    const id = `${producer}\u0000${subject}`;
    const cached = this.cache.get(id);
    if (cached) return cached;
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = this.ask(producer, subject).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    const key = await pending;
    this.cache.set(id, key);
    return key;
  }

  private async ask(producer: string, subject: string): Promise<Buffer | 'erased'> {
    const base = this.options.urlOf(producer);
    if (!base)
      throw new KeyReleaseError(
        'PRIVACY.KEY_RELEASE_UNAVAILABLE',
        `no URL for ${producer} (SERVICE_URLS): its sealed events cannot be opened`,
      );
    const body = JSON.stringify({ subjects: [subject] });
    const now = Math.floor(this.clock().getTime() / 1000);
    const token = await new SignJWT({ dig: bodyDigest(body) })
      .setProtectedHeader({ alg: 'HS256', typ: TYPE })
      .setIssuer(this.options.service)
      .setAudience(producer)
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_TTL_SECONDS)
      .sign(secretBytes(this.options.secret));
    let response: Response;
    try {
      response = await fetch(new URL(KEY_RELEASE_PATH, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (err) {
      throw new KeyReleaseError(
        'PRIVACY.KEY_RELEASE_UNAVAILABLE',
        `${producer} does not answer (${(err as Error).name})`,
      );
    }
    const text = await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403)
      throw new KeyReleaseError('PRIVACY.KEY_RELEASE_REFUSED', `${producer} refused: ${response.status}`);
    if (response.status !== 200)
      throw new KeyReleaseError('PRIVACY.KEY_RELEASE_UNAVAILABLE', `${producer} answered ${response.status}`);
    let answer: ReleaseBody;
    try {
      answer = JSON.parse(text) as ReleaseBody;
    } catch {
      throw new KeyReleaseError('PRIVACY.KEY_RELEASE_UNAVAILABLE', `${producer} answered no JSON`);
    }
    if (answer.erased?.includes(subject)) return 'erased';
    const wrapped = answer.keys?.[subject];
    if (typeof wrapped !== 'string')
      throw new KeyReleaseError('PRIVACY.KEY_RELEASE_UNAVAILABLE', `${producer} answered without the key`);
    try {
      return unwrapKey(transportKey(this.options.secret, producer, this.options.service), subject, wrapped);
    } catch {
      throw new KeyReleaseError('PRIVACY.KEY_RELEASE_REFUSED', `${producer} sent a key that does not unwrap`);
    }
  }
}
