// The master key ring: which master keys this process holds and which one wraps new data keys.
// Given by configuration: PRIVACY_MASTER_KEY (the ring itself) or PRIVACY_MASTER_KEY_FILE (a
// file holding it). Format: "id:base64" entries separated by commas or new lines, the first
// one current; the others only unwrap (rotation: docs/privacy.md).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, DEV_SECRET_MARKER, loadEnvOrExit, z } from '@crm/config';

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface MasterKeyRing {
  /** the id new data keys are wrapped under */
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** Parses a ring; errors name the entry's position or id, never key material. */
export function parseMasterKeyRing(text: string): MasterKeyRing {
  const entries = text.split(/[\s,]+/).filter((e) => e.length > 0);
  if (entries.length === 0) throw new Error('holds no key ("id:base64", first one current)');
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, i) => {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!KEY_ID.test(id))
      throw new Error(
        `entry ${i + 1} must be "id:base64" with an id of letters, digits, dot, dash, underscore`,
      );
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`key "${id}" must be ${KEY_BYTES} bytes in base64`);
    if (keys.has(id)) throw new Error(`key "${id}" is given twice`);
    keys.set(id, key);
  });
  return { currentId: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}

/** A fresh ring entry "id:base64" (a new master key, for a key file or a secret store). */
export function newMasterKeyEntry(id: string): string {
  if (!KEY_ID.test(id)) throw new Error('a key id is letters, digits, dot, dash, underscore');
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * The development ring used when nothing is configured outside production: fixed, committed,
 * its id carries the development marker, so a production process refuses it (@crm/config).
 */
export const DEV_MASTER_KEY_ID = `${DEV_SECRET_MARKER}-1`;
export const devMasterKeyRing = (): MasterKeyRing => ({
  currentId: DEV_MASTER_KEY_ID,
  keys: new Map([
    [DEV_MASTER_KEY_ID, createHash('sha256').update('crm development privacy master key').digest()],
  ]),
});

const ringText = z.string().superRefine((value, ctx) => {
  try {
    parseMasterKeyRing(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

/** The variables a service holding personal data declares (spread into its env schema). */
export const privacyVariables = () => ({
  /** the master key ring, "id:base64[,id:base64...]", first one current (a secret) */
  PRIVACY_MASTER_KEY: ringText.optional(),
  /** or a file holding the ring (npm start: .cache/privacy-master.key) */
  PRIVACY_MASTER_KEY_FILE: z.string().min(1).optional(),
  /** unwrapped data keys kept in memory at most */
  PRIVACY_KEY_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** how long an unwrapped data key stays cached: bounds how long another replica reads after a shred */
  PRIVACY_KEY_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
});

export interface PrivacyEnv {
  NODE_ENV: 'development' | 'test' | 'production';
  PRIVACY_MASTER_KEY?: string | undefined;
  PRIVACY_MASTER_KEY_FILE?: string | undefined;
}

/** The ring a process runs with; ConfigError when production has none or the file is unusable. */
export function masterKeyRingOf(env: PrivacyEnv): MasterKeyRing {
  if (env.PRIVACY_MASTER_KEY && env.PRIVACY_MASTER_KEY_FILE)
    throw new ConfigError(['PRIVACY_MASTER_KEY and PRIVACY_MASTER_KEY_FILE: give one, not both']);
  if (env.PRIVACY_MASTER_KEY) return parseMasterKeyRing(env.PRIVACY_MASTER_KEY);
  if (env.PRIVACY_MASTER_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(env.PRIVACY_MASTER_KEY_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError([
        `PRIVACY_MASTER_KEY_FILE: cannot be read (${(err as NodeJS.ErrnoException).code})`,
      ]);
    }
    let ring: MasterKeyRing;
    try {
      ring = parseMasterKeyRing(text);
    } catch (err) {
      throw new ConfigError([`PRIVACY_MASTER_KEY_FILE: ${(err as Error).message}`]);
    }
    if (env.NODE_ENV === 'production' && [...ring.keys.keys()].some((id) => id.includes(DEV_SECRET_MARKER)))
      throw new ConfigError([`PRIVACY_MASTER_KEY_FILE: holds a development key; give production its own`]);
    return ring;
  }
  if (env.NODE_ENV === 'production')
    throw new ConfigError(['PRIVACY_MASTER_KEY or PRIVACY_MASTER_KEY_FILE: required in production']);
  return devMasterKeyRing();
}

/**
 * For loadEnvWithMasterKey (`envSchema.superRefine(checkPrivacyEnv)`): the ring's problems as
 * variable problems, so a process without a usable master key stops at boot with exit 78 and
 * the variable named, like any other configuration error.
 */
export function checkPrivacyEnv(env: PrivacyEnv, ctx: z.RefinementCtx): void {
  try {
    masterKeyRingOf(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) {
      const at = problem.indexOf(': ');
      ctx.addIssue({ code: 'custom', path: [problem.slice(0, at)], message: problem.slice(at + 2) });
    }
  }
}

/**
 * npm start's local key file: read if present, else created once (mode 0600) with one fresh
 * key. Losing the file makes the local database's personal data unreadable, as intended.
 */
export function ensureLocalMasterKeyFile(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${newMasterKeyEntry('local-1')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  parseMasterKeyRing(readFileSync(path, 'utf8'));
  return path;
}

/**
 * A service's loadEnv at boot: its variables (a committed development secret in production stops
 * here first), then its master key (production without a usable one stops too), both with exit
 * 78 and the variable named.
 */
export function loadEnvWithMasterKey<S extends z.ZodType<PrivacyEnv>>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const env = loadEnvOrExit(schema, source);
  loadEnvOrExit(schema.superRefine(checkPrivacyEnv), source);
  return env;
}
