import { randomBytes } from 'node:crypto';

/** A short random suffix; names built from it never collide across parallel test files. */
export const randomSuffix = (bytes = 4): string => randomBytes(bytes).toString('hex');

const RANDOM_TOKENS = [
  /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, // UUIDs
  /\$argon2id\$[^"\\\s]*/g, // argon2 PHC strings (salt and hash in base64)
  /\b[A-Z]{3,5}-[0-9a-f]{8}\b/g, // contract numbers made from an id (AUTO-c08644e4)
];

/**
 * `value` as JSON with its random ids and hashes taken out, for "this secret is nowhere"
 * checks: a random UUID holds any 4 given digits about once in 2,000, which made such a check
 * fail now and then on text that never held the secret.
 */
export const withoutRandomTokens = (value: unknown): string =>
  RANDOM_TOKENS.reduce((json, pattern) => json.replace(pattern, '<random>'), JSON.stringify(value));
