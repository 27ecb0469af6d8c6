// One field's value under a subject's data key: AES-256-GCM, a fresh 12-byte IV per value, the
// subject and the field name as additional data (a ciphertext copied to another person or
// another column does not decrypt). Text form: "pd1:" + base64url(iv | ciphertext | tag). Bytes
// (a recording, a voice clip) are sealed the same way in binary form: "pdb1" | iv | ciphertext |
// tag, no base64 (a clip of tens of kilobytes stays its size plus 32 bytes).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CiphertextError } from './errors';
import { KEY_BYTES } from './master-keys';

export const FIELD_PREFIX = 'pd1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const aad = (subject: string, field: string) => Buffer.from(`pd1\u0000${subject}\u0000${field}`, 'utf8');

/** Whether a stored text is in this package's field format (a migration tells done rows apart). */
export const isFieldCiphertext = (text: string): boolean => text.startsWith(FIELD_PREFIX);

export function encryptField(dataKey: Buffer, subject: string, field: string, value: string): string {
  if (dataKey.length !== KEY_BYTES) throw new Error(`a data key is ${KEY_BYTES} bytes`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(aad(subject, field));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return FIELD_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The value; CiphertextError when the text is not ours, was changed, or belongs to another subject or field. */
export function decryptField(dataKey: Buffer, subject: string, field: string, text: string): string {
  if (!isFieldCiphertext(text)) throw new CiphertextError(`${field} of ${subject} is not a pd1 ciphertext`);
  const raw = Buffer.from(text.slice(FIELD_PREFIX.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new CiphertextError(`${field} of ${subject} is truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(subject, field));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new CiphertextError(`${field} of ${subject} does not authenticate`);
  }
}

/** The binary form's first bytes (an MP3 starts with "ID3" or 0xFF: the two never meet). */
export const BYTES_PREFIX = Buffer.from('pdb1', 'latin1');

/** Whether stored bytes are in this package's binary format. */
export const isBytesCiphertext = (bytes: Buffer): boolean =>
  bytes.length >= BYTES_PREFIX.length && bytes.subarray(0, BYTES_PREFIX.length).equals(BYTES_PREFIX);

/** Bytes under the subject's data key, bound to the subject and the field as encryptField binds text. */
export function encryptBytes(dataKey: Buffer, subject: string, field: string, value: Buffer): Buffer {
  if (dataKey.length !== KEY_BYTES) throw new Error(`a data key is ${KEY_BYTES} bytes`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(aad(subject, field));
  const body = Buffer.concat([cipher.update(value), cipher.final()]);
  return Buffer.concat([BYTES_PREFIX, iv, body, cipher.getAuthTag()]);
}

/** The bytes; CiphertextError when they are not ours, were changed, or belong to another subject or field. */
export function decryptBytes(dataKey: Buffer, subject: string, field: string, sealed: Buffer): Buffer {
  if (!isBytesCiphertext(sealed)) throw new CiphertextError(`${field} of ${subject} is not pdb1 bytes`);
  const start = BYTES_PREFIX.length;
  if (sealed.length < start + IV_BYTES + TAG_BYTES)
    throw new CiphertextError(`${field} of ${subject} is truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, sealed.subarray(start, start + IV_BYTES));
    decipher.setAAD(aad(subject, field));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(start + IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new CiphertextError(`${field} of ${subject} does not authenticate`);
  }
}
