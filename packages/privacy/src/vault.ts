// Per-person data keys (envelope encryption): one random data key per subject, wrapped by the
// master key (KeyWrapper), stored by a KeyStore, made on first write, cached unwrapped in
// memory with a bound and a lifetime, and shredded on erasure. Every field of a person is
// encrypted under that person's key, so shredding it makes every copy unreadable at once.
import { randomBytes } from 'node:crypto';
import { blindIndex } from './blind-index';
import { BoundedCache } from './cache';
import { SubjectErasedError } from './errors';
import { decryptBytes, decryptField, encryptBytes, encryptField } from './field-cipher';
import type { KeyStore, Sql } from './key-store';
import type { KeyWrapper } from './key-wrapper';
import { KEY_BYTES } from './master-keys';

/** A decrypted field: its value, or the clear, typed fact that its person was erased. */
export type Revealed<T> = { erased: false; value: T } | { erased: true };
export const ERASED: Revealed<never> = Object.freeze({ erased: true });

/** Decrypts the fields of the subjects it was opened for (sync: their keys are loaded). */
export interface FieldReader {
  /** erased when the subject's key was shredded (or never existed); CiphertextError when tampered */
  decrypt(subject: string, field: string, text: string): Revealed<string>;
  /** a stored column's value: null when it holds none, or when its subject was erased */
  open(subject: string, field: string, stored: unknown): string | null;
  /** sealed bytes (encryptBytes): erased as decrypt; CiphertextError when tampered */
  decryptBytes(subject: string, field: string, sealed: Buffer): Revealed<Buffer>;
}

/** Encrypts fields of one subject whose key is live. */
export interface FieldWriter {
  readonly subject: string;
  encrypt(field: string, value: string): string;
  /** a column's value as stored: null stays null */
  seal(field: string, value: string | null): string | null;
  /** bytes (a recording, a voice clip) in the binary form (field-cipher.ts) */
  encryptBytes(field: string, value: Buffer): Buffer;
}

export interface VaultOptions {
  store: KeyStore;
  wrapper: KeyWrapper;
  /** unwrapped data keys kept at most (0: none) */
  cacheSize?: number;
  /** how long one stays (ms): another replica's shred is seen after at most this */
  cacheTtlMs?: number;
  clock?: () => Date;
}

/** Subjects starting with this are the vault's own keys, never a person's. */
const RESERVED = '~';
const INDEX_SUBJECT = '~blind-index/v1';

function assertPersonSubject(subject: string): void {
  if (subject.length === 0 || subject.length > 200 || subject.startsWith(RESERVED))
    throw new Error('a subject is a person id of 1 to 200 characters, not starting with "~"');
}

export class PersonalDataVault {
  private readonly store: KeyStore;
  private readonly wrapper: KeyWrapper;
  private readonly clock: () => Date;
  private readonly cache: BoundedCache<Buffer>;
  /** the blind-index key once committed and read */
  private indexKey: Buffer | undefined;
  /** the one load of it in flight outside any transaction */
  private indexKeyLoading: Promise<Buffer> | undefined;

  constructor(options: VaultOptions) {
    this.store = options.store;
    this.wrapper = options.wrapper;
    this.clock = options.clock ?? (() => new Date());
    this.cache = new BoundedCache(options.cacheSize ?? 10_000, options.cacheTtlMs ?? 60_000, () =>
      this.clock().getTime(),
    );
  }

  /** Loads the keys of these subjects (one store query for those not cached) for decrypting. */
  async reader(subjects: readonly string[], tx?: Sql): Promise<FieldReader> {
    const keys = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const subject of new Set(subjects)) {
      const cached = this.cache.get(subject);
      if (cached) keys.set(subject, cached);
      else missing.push(subject);
    }
    if (missing.length > 0) {
      const found = await this.store.find(missing, tx);
      for (const [subject, stored] of found) {
        if (stored === 'shredded') continue;
        const key = await this.wrapper.unwrap(stored, subject);
        // a key the caller's transaction wrote may still roll back: used, not cached
        if (!stored.pending) this.cache.set(subject, key);
        keys.set(subject, key);
      }
    }
    const decrypt = (subject: string, field: string, text: string): Revealed<string> => {
      const key = keys.get(subject);
      if (!key) return ERASED;
      return { erased: false, value: decryptField(key, subject, field, text) };
    };
    return {
      decrypt,
      open: (subject, field, stored) => {
        if (typeof stored !== 'string') return null;
        const revealed = decrypt(subject, field, stored);
        return revealed.erased ? null : revealed.value;
      },
      decryptBytes: (subject, field, sealed) => {
        const key = keys.get(subject);
        if (!key) return ERASED;
        return { erased: false, value: decryptBytes(key, subject, field, sealed) };
      },
    };
  }

  /**
   * The live keys among these subjects, never making one (a shredded or unknown subject is left
   * out): what the key release hands to the services consuming this service's sealed events.
   */
  async liveKeys(subjects: readonly string[]): Promise<ReadonlyMap<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const subject of new Set(subjects)) {
      const cached = this.cache.get(subject);
      if (cached) keys.set(subject, cached);
      else if (subject.length > 0 && !subject.startsWith(RESERVED)) missing.push(subject);
    }
    if (missing.length > 0)
      for (const [subject, stored] of await this.store.find(missing)) {
        if (stored === 'shredded') continue;
        const key = await this.wrapper.unwrap(stored, subject);
        this.cache.set(subject, key);
        keys.set(subject, key);
      }
    return keys;
  }

  /**
   * The subject's live key for encrypting, made on first use; SubjectErasedError once shredded.
   * Inside a transaction, give it (`tx`): the key is then read and made on the transaction's own
   * connection (asking the pool for another while it holds one deadlocks a busy pool), and a key
   * it makes is not cached before it commits.
   */
  async writer(subject: string, tx?: Sql): Promise<FieldWriter> {
    assertPersonSubject(subject);
    const key = await this.liveKey(subject, true, tx);
    const encrypt = (field: string, value: string) => encryptField(key, subject, field, value);
    return {
      subject,
      encrypt,
      seal: (field, value) => (value === null ? null : encrypt(field, value)),
      encryptBytes: (field, value) => encryptBytes(key, subject, field, value),
    };
  }

  /**
   * Crypto-shredding: the subject's key is replaced by a tombstone (on `tx` when given, so it
   * commits with the erasure). Afterwards every ciphertext of the subject reads as erased, and
   * no new key is made for it. Returns whether a live key was shredded.
   */
  async shred(subject: string, tx?: Sql): Promise<boolean> {
    assertPersonSubject(subject);
    this.cache.delete(subject);
    const shredded = await this.store.shred(subject, this.clock(), tx);
    this.cache.delete(subject);
    return shredded;
  }

  /** Drops a cached key (after the transaction that shredded it committed). */
  forget(subject: string): void {
    this.cache.delete(subject);
  }

  /**
   * The keyed blind index of a value (normalized first), for equality lookups. Inside a
   * transaction, give it (`tx`) until the index key is known: it is then read (or, on a database
   * that has none yet, made) on the transaction's own connection, as `writer` does, and kept only
   * once committed (asking the pool for another connection while holding one deadlocks a busy
   * pool: forty first writes on a pool of three did). A transaction never waits for a lookup
   * made outside it: that lookup may itself be waiting for the key row the transaction wrote.
   */
  async blindIndex(field: string, value: string, tx?: Sql): Promise<string> {
    if (this.indexKey) return blindIndex(this.indexKey, field, value);
    if (tx) {
      const { key, pending } = await this.loadKey(INDEX_SUBJECT, tx);
      if (!pending) this.indexKey = key;
      return blindIndex(key, field, value);
    }
    return blindIndex(await this.loadIndexKey(), field, value);
  }

  /**
   * Reads the blind-index key now (making it on a database that has none yet), outside any
   * transaction. Each service calls it at start: afterwards no transaction is the first to need
   * the key, so none asks the pool for a second connection for it (transactions holding every
   * pooled connection, each waiting for one more, would wait out the pool's timeout).
   */
  async prepare(): Promise<void> {
    if (!this.indexKey) await this.loadIndexKey();
  }

  private loadIndexKey(): Promise<Buffer> {
    this.indexKeyLoading ??= this.liveKey(INDEX_SUBJECT, false).then(
      (key) => (this.indexKey = key),
      (err: unknown) => {
        this.indexKeyLoading = undefined;
        throw err;
      },
    );
    return this.indexKeyLoading;
  }

  /**
   * Rotation: rewraps every live key still under another master key than the current one, in
   * batches; returns how many moved. The old master key can leave the ring once this is done.
   */
  async rewrapAll(batchSize = 500): Promise<number> {
    let moved = 0;
    for (;;) {
      const batch = await this.store.wrappedUnderOther(this.wrapper.currentKeyId, batchSize);
      if (batch.length === 0) return moved;
      for (const { subject, key } of batch) {
        const dataKey = await this.wrapper.unwrap(key, subject);
        if (await this.store.replace(subject, key, await this.wrapper.wrap(dataKey, subject))) moved += 1;
      }
    }
  }

  private async liveKey(subject: string, cache = true, tx?: Sql): Promise<Buffer> {
    const cached = this.cache.get(subject);
    if (cached) return cached;
    const { key, pending } = await this.loadKey(subject, tx);
    if (cache && !pending) this.cache.set(subject, key);
    return key;
  }

  /** The subject's key as stored, made when it has none; pending: written by `tx`, not committed. */
  private async loadKey(subject: string, tx?: Sql): Promise<{ key: Buffer; pending: boolean }> {
    let stored = (await this.store.find([subject], tx)).get(subject);
    if (stored === undefined) {
      const fresh = randomBytes(KEY_BYTES);
      await this.store.insertIfAbsent(subject, await this.wrapper.wrap(fresh, subject), this.clock(), tx);
      // read back: a concurrent writer (another replica) may have stored its key first
      stored = (await this.store.find([subject], tx)).get(subject);
    }
    if (stored === undefined || stored === 'shredded') throw new SubjectErasedError(subject);
    return { key: await this.wrapper.unwrap(stored, subject), pending: stored.pending === true };
  }
}
