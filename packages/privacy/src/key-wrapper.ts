// The KeyWrapper port: wraps and unwraps 32-byte data keys under a master key. The local
// adapter holds the master key ring in memory (configuration); a KMS adapter (AWS KMS,
// Vault transit, GCP KMS) implements the same two calls with its own key ids.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CiphertextError, MasterKeyUnknownError } from './errors';
import { KEY_BYTES, type MasterKeyRing } from './master-keys';

export interface WrappedKey {
  /** which master key wrapped it: rotation keeps old ids able to unwrap */
  masterKeyId: string;
  wrapped: Buffer;
}

export interface KeyWrapper {
  /** the master key id new wraps use */
  readonly currentKeyId: string;
  /** `context` (the subject) is bound to the wrap: a wrapped key moved to another subject does not unwrap */
  wrap(dataKey: Buffer, context: string): Promise<WrappedKey>;
  unwrap(key: WrappedKey, context: string): Promise<Buffer>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const aad = (masterKeyId: string, context: string) =>
  Buffer.from(`crm-data-key/v1\u0000${masterKeyId}\u0000${context}`, 'utf8');

/** AES-256-GCM under the ring's keys: iv (12) | wrapped key (32) | tag (16). */
export class LocalKeyWrapper implements KeyWrapper {
  constructor(private readonly ring: MasterKeyRing) {
    if (!ring.keys.has(ring.currentId))
      throw new Error(`the current master key "${ring.currentId}" is not in the ring`);
  }

  get currentKeyId(): string {
    return this.ring.currentId;
  }

  wrap(dataKey: Buffer, context: string): Promise<WrappedKey> {
    if (dataKey.length !== KEY_BYTES) throw new Error(`a data key is ${KEY_BYTES} bytes`);
    const masterKeyId = this.ring.currentId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.ring.keys.get(masterKeyId)!, iv);
    cipher.setAAD(aad(masterKeyId, context));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Promise.resolve({ masterKeyId, wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]) });
  }

  unwrap({ masterKeyId, wrapped }: WrappedKey, context: string): Promise<Buffer> {
    const master = this.ring.keys.get(masterKeyId);
    if (!master) return Promise.reject(new MasterKeyUnknownError(masterKeyId));
    if (wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES)
      return Promise.reject(new CiphertextError(`a wrapped data key of ${context} has the wrong length`));
    try {
      const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, IV_BYTES));
      decipher.setAAD(aad(masterKeyId, context));
      decipher.setAuthTag(wrapped.subarray(IV_BYTES + KEY_BYTES));
      return Promise.resolve(
        Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES)), decipher.final()]),
      );
    } catch {
      return Promise.reject(new CiphertextError(`the data key of ${context} does not unwrap`));
    }
  }
}
