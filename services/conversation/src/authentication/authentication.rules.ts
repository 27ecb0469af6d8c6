// Pure rules of the bot's brute-force protection (docs/security.md, The bot's authentication):
// failures per matricule, the lock that doubles, the daily ceiling per address, the address as
// counted (an IPv6 caller counts as his /64), and what an advisor's alert shows of the
// matricule. `now` is always an argument.
import { isIP } from 'node:net';

export interface GuardPolicy {
  /** failed authentications of one matricule that lock it (the last one locks) */
  maxFailures: number;
  /** a failure is forgotten this long after the last one */
  failureMemoryMs: number;
  /** the first lock; each lock in a row doubles it */
  firstLockMs: number;
  /** no lock lasts longer */
  maxLockMs: number;
  /** a lock follows the previous one "in a row" when it starts less than this after the previous one ended */
  lockoutMemoryMs: number;
  /** failed authentications from one address in one UTC day; past it the bot stops trying for that address */
  addressDailyCeiling: number;
  /** how long advisors see an alert (the rows are then deleted) */
  alertRetentionMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const GUARD_POLICY: GuardPolicy = {
  maxFailures: 5,
  failureMemoryMs: DAY,
  firstLockMs: 15 * MINUTE,
  maxLockMs: DAY,
  lockoutMemoryMs: DAY,
  addressDailyCeiling: 20,
  alertRetentionMs: 7 * DAY,
};

/** What is kept of one matricule (auth_matricule_failures). */
export interface MatriculeRecord {
  /** failures since the last lock or success, within failureMemoryMs of each other */
  failures: number;
  lastFailureAt: Date | null;
  /** locks in a row, the current or last one included */
  lockouts: number;
  lockedUntil: Date | null;
}

export const NO_FAILURES: MatriculeRecord = {
  failures: 0,
  lastFailureAt: null,
  lockouts: 0,
  lockedUntil: null,
};

export const isLocked = (record: MatriculeRecord, now: Date): boolean =>
  record.lockedUntil !== null && record.lockedUntil.getTime() > now.getTime();

/** The nth lock in a row: 15 min, 30 min, 1 h, 2 h... at most maxLockMs (24 h from the 8th). */
export function lockDurationMs(lockout: number, policy: GuardPolicy = GUARD_POLICY): number {
  return Math.min(policy.firstLockMs * 2 ** Math.max(0, lockout - 1), policy.maxLockMs);
}

export interface Lock {
  /** 1 for the first lock in a row, then 2, 3... */
  lockout: number;
  /** the failures that led to it */
  failures: number;
  until: Date;
}

/** One more failure: the record to keep, and the lock it starts when it is the last allowed. */
export function afterFailure(
  record: MatriculeRecord,
  now: Date,
  policy: GuardPolicy = GUARD_POLICY,
): { record: MatriculeRecord; lock: Lock | null } {
  const recent =
    record.lastFailureAt !== null && now.getTime() - record.lastFailureAt.getTime() < policy.failureMemoryMs;
  const failures = (recent ? record.failures : 0) + 1;
  if (failures < policy.maxFailures)
    return { record: { ...record, failures, lastFailureAt: now }, lock: null };
  const inARow =
    record.lockedUntil !== null && now.getTime() - record.lockedUntil.getTime() < policy.lockoutMemoryMs;
  const lockout = inARow ? record.lockouts + 1 : 1;
  const until = new Date(now.getTime() + lockDurationMs(lockout, policy));
  return {
    record: { failures: 0, lastFailureAt: now, lockouts: lockout, lockedUntil: until },
    lock: { lockout, failures, until },
  };
}

/** The right code: the matricule's failures and locks in a row are forgotten. */
export const afterSuccess = (): MatriculeRecord => NO_FAILURES;

/**
 * What the purge deletes: matricule rows with no failure since `failuresBefore` and no lock
 * ended after `locksBefore`, alerts raised before `alertsBefore`, addresses' keys and counts of
 * the days before `day` (once a day's key is gone, its hashes name nobody).
 */
export function purgeBounds(now: Date, policy: GuardPolicy = GUARD_POLICY) {
  const t = now.getTime();
  return {
    failuresBefore: new Date(t - policy.failureMemoryMs),
    locksBefore: new Date(t - policy.lockoutMemoryMs),
    alertsBefore: new Date(t - policy.alertRetentionMs),
    day: utcDay(now),
  };
}

/** The address's failures of the day reached the ceiling: the bot stops trying for it. */
export const isOverCeiling = (failures: number, policy: GuardPolicy = GUARD_POLICY): boolean =>
  failures >= policy.addressDailyCeiling;

/** The UTC day an address's failures are counted in (YYYY-MM-DD). */
export const utcDay = (now: Date): string => now.toISOString().slice(0, 10);

/** The eight groups of an IPv6 address, each as 1-4 lower-case hex digits (an IPv4 tail is two). */
function ipv6Groups(ip: string): string[] {
  let text = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

/**
 * The address as counted: an IPv4 address as it is (also when IPv4-mapped, ::ffff:a.b.c.d), an
 * IPv6 address as its /64 (one subscriber's prefix, so he cannot rotate addresses inside it);
 * anything else as given, lower-cased.
 */
export function addressKey(raw: string): string {
  const ip = raw.trim().replace(/%.*$/, '');
  if (isIP(ip) === 4) return ip;
  if (isIP(ip) !== 6) return raw.trim().toLowerCase();
  const groups = ipv6Groups(ip);
  const mapped = groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff';
  if (mapped) {
    const [hi = 0, lo = 0] = groups.slice(6).map((g) => parseInt(g, 16));
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/**
 * What an alert shows of a matricule: its last two letters, like the end of a card number
 * ("••-•••-CD"). Advisors reach the client through the alert's client; the whole matricule
 * (with which anyone may ask the bot about a client without a code) stays out of the list.
 */
export function matriculeHint(key: string): string {
  return `••-•••-${key.slice(-2)}`;
}
