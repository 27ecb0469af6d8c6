// Keyed blind index: equality lookups on an encrypted field (matricule, e-mail) without
// storing the value. HMAC-SHA256 under the index key, over the field name and the normalized
// value; without the key, a stored index cannot be checked against guessed values.
import { createHmac } from 'node:crypto';

/** The normalization every index applies on top of the caller's own (NFKC, trimmed, lower case). */
export const normalizeForIndex = (value: string): string => value.normalize('NFKC').trim().toLowerCase();

export function blindIndex(indexKey: Buffer, field: string, value: string): string {
  return createHmac('sha256', indexKey)
    .update(`${field}\u0000${normalizeForIndex(value)}`, 'utf8')
    .digest('base64url');
}
