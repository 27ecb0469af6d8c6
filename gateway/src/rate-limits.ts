// Rate limits at the gateway, with rate-limiter-flexible: every request that reaches past the
// health checks and the explorer (so /graphql and POST /chat/sessions), and every WebSocket
// connection attempt, takes one point from its client address's budget, before the token is
// looked at (a flood of made-up tokens is limited too); once the token is verified, one more
// from its subject's budget. Both are fixed windows of RATE_LIMIT_WINDOW_SECONDS.
//
// With RATE_LIMIT_DATABASE_URL the counts live in PostgreSQL (table gateway_rate_limits, which
// the limiter creates), shared by every replica; without it, in this process's memory (npm
// start, tests, a single gateway). If PostgreSQL fails or is slow (a query over 1 s), each
// replica counts in its own memory until it answers again (rate-limiter-flexible's insurance
// limiter): the gateway keeps serving, each replica then allowing the whole budget. A key
// refused once is then refused from memory for the rest of its window, without a query.
//
// Refused: HTTP 429, Retry-After (seconds, rounded up) and LIMIT.RATE; a WebSocket upgrade the
// same, before the socket opens; a WebSocket whose subject is over its budget closes with
// 4429. Admitted /graphql answers carry RateLimit-Limit, -Remaining, -Reset and -Policy
// (draft-ietf-httpapi-ratelimit-headers, draft 6) for the tighter of the two budgets.
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { VerifyClientCallbackAsync } from 'ws';
import { Pool, type QueryConfig } from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '@crm/logging';
import { sendJson } from '@crm/subgraph';
import { clientIpOf } from './client-ip';
import type { Env } from './env';

export const LIMIT_RATE = 'LIMIT.RATE';
export const RATE_LIMIT_TABLE = 'gateway_rate_limits';

export type RateScope = 'ip' | 'principal';

export type RateLimitEnv = Pick<
  Env,
  'RATE_LIMIT_WINDOW_SECONDS' | 'RATE_LIMIT_PER_PRINCIPAL' | 'RATE_LIMIT_PER_IP' | 'RATE_LIMIT_DATABASE_URL'
>;

/** What a caller learns of one budget: the response headers, and Retry-After when refused. */
export interface RateOutcome {
  scope: RateScope;
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the window ends, rounded up, at least 1 */
  resetSeconds: number;
}

export interface RateLimits {
  /** where the counts live */
  readonly store: 'postgres' | 'memory';
  readonly windowSeconds: number;
  /** takes one point from `key`'s budget in `scope`; a request without a key is not counted */
  consume(scope: RateScope, key: string | undefined): Promise<RateOutcome | undefined>;
  /**
   * For node:http: consumes, sets the RateLimit-* headers, and answers 429 when refused.
   * True when the request may go on.
   */
  admit(res: ServerResponse, scope: RateScope, key: string | undefined): Promise<boolean>;
  close(): Promise<void>;
}

/** IPv6 callers get a /64 each (one subscriber's prefix), so they cannot rotate addresses in it. */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  // an IPv4 tail (64:ff9b::192.0.2.1) is two groups
  const last = right.length ? right : left;
  const v4 = last.length ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(last[last.length - 1]!) : null;
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    last.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const full = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Store keys are at most 255 characters: a longer subject is kept as its hash. */
const storeKey = (key: string) =>
  key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;

export async function startRateLimits(env: RateLimitEnv, logger: Logger): Promise<RateLimits> {
  const duration = env.RATE_LIMIT_WINDOW_SECONDS;
  const points: Record<RateScope, number> = {
    ip: env.RATE_LIMIT_PER_IP,
    principal: env.RATE_LIMIT_PER_PRINCIPAL,
  };
  const memory = (scope: RateScope) =>
    new RateLimiterMemory({ keyPrefix: scope, points: points[scope], duration });

  let pool: Pool | undefined;
  let limiters: Record<RateScope, RateLimiterAbstract>;
  if (env.RATE_LIMIT_DATABASE_URL) {
    const store = new Pool({
      connectionString: env.RATE_LIMIT_DATABASE_URL,
      max: 5,
      connectionTimeoutMillis: 1_000,
      query_timeout: 1_000,
      application_name: 'gateway-rate-limits',
    });
    pool = store;
    // an idle connection that breaks must not crash the process: the next query reconnects
    store.on('error', (err) => logger.warn({ err }, 'rate-limit store: connection lost'));
    // the insurance takes over silently: say so, once a minute at most
    let warnedAt = -Infinity;
    const watched = {
      query: (query: QueryConfig) =>
        store.query(query).catch((err: unknown) => {
          if (Date.now() - warnedAt >= 60_000) {
            warnedAt = Date.now();
            logger.warn({ err }, 'rate-limit store failed: counting in this process until it answers');
          }
          throw err;
        }),
    };
    const postgres = (scope: RateScope) =>
      new Promise<RateLimiterAbstract>((resolve, reject) => {
        const limiter: RateLimiterAbstract = new RateLimiterPostgres(
          {
            storeClient: watched,
            storeType: 'pool',
            tableName: RATE_LIMIT_TABLE,
            keyPrefix: scope,
            points: points[scope],
            duration,
            // a key over its budget is refused from memory for the rest of its window
            inMemoryBlockOnConsumed: points[scope] + 1,
            insuranceLimiter: memory(scope),
          },
          (err?: Error) => (err ? reject(err) : resolve(limiter)),
        );
      });
    try {
      // one after the other: both create the same table
      const ip = await postgres('ip');
      limiters = { ip, principal: await postgres('principal') };
    } catch (err) {
      await store.end().catch(() => undefined);
      throw new Error(
        `rate-limit store (RATE_LIMIT_DATABASE_URL) unusable: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  } else {
    limiters = { ip: memory('ip'), principal: memory('principal') };
  }
  logger.info(
    {
      store: pool ? 'postgres' : 'memory',
      windowSeconds: duration,
      perIp: points.ip,
      perPrincipal: points.principal,
    },
    'rate limits',
  );

  const outcome = (scope: RateScope, allowed: boolean, res: RateLimiterRes): RateOutcome => ({
    scope,
    allowed,
    limit: points[scope],
    remaining: allowed ? res.remainingPoints : 0,
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });

  async function consume(scope: RateScope, key: string | undefined): Promise<RateOutcome | undefined> {
    if (!key) return undefined;
    const k = storeKey(scope === 'ip' ? addressKey(key) : key);
    try {
      return outcome(scope, true, await limiters[scope].consume(k));
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return outcome(scope, false, refusal);
      // neither the store nor its insurance answered: serving beats refusing everyone
      logger.error({ err: refusal, scope }, 'rate limiter failed; request let through');
      return undefined;
    }
  }

  return {
    store: pool ? 'postgres' : 'memory',
    windowSeconds: duration,
    consume,
    async admit(res, scope, key) {
      const result = await consume(scope, key);
      if (!result) return true;
      const shown = Number(res.getHeader('ratelimit-remaining') ?? Infinity);
      if (!result.allowed || result.remaining <= shown) {
        for (const [name, value] of Object.entries(rateLimitHeaders(result, duration)))
          res.setHeader(name, value);
      }
      if (result.allowed) return true;
      sendJson(res, 429, rateLimitedBody(result), { 'retry-after': String(result.resetSeconds) });
      return false;
    },
    async close() {
      await pool?.end();
    },
  };
}

export function rateLimitHeaders(
  o: RateOutcome,
  windowSeconds: number,
): OutgoingHttpHeaders & Record<string, string> {
  return {
    'ratelimit-limit': String(o.limit),
    'ratelimit-remaining': String(o.remaining),
    'ratelimit-reset': String(o.resetSeconds),
    'ratelimit-policy': `${o.limit};w=${windowSeconds}`,
  };
}

export function rateLimitMessage(o: RateOutcome): string {
  const who = o.scope === 'ip' ? 'from this address' : 'for this caller';
  return `too many requests ${who}; retry in ${o.resetSeconds} s`;
}

export const rateLimitedBody = (o: RateOutcome) => ({
  errors: [{ message: rateLimitMessage(o), extensions: { code: LIMIT_RATE } }],
});

/**
 * The WebSocket server's verifyClient: a connection attempt takes a point from its address's
 * budget at the upgrade, and is answered 429 (Retry-After, LIMIT.RATE) before any socket opens.
 */
export function upgradesLimitedByAddress(
  limits: RateLimits,
  trustProxyHops: number,
): VerifyClientCallbackAsync {
  return (info, done) => {
    limits.consume('ip', clientIpOf(info.req, trustProxyHops)).then(
      (result) => {
        if (!result || result.allowed) return done(true);
        done(false, 429, JSON.stringify(rateLimitedBody(result)), {
          ...rateLimitHeaders(result, limits.windowSeconds),
          // ws writes its own Content-Type: text/html unless this one has the same spelling
          'Content-Type': 'application/json; charset=utf-8',
          'Retry-After': String(result.resetSeconds),
        });
      },
      () => done(true),
    );
  };
}
