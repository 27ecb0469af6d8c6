// The bot's voice clips encrypted at rest (issue 18, docs/privacy.md, Voice): a bot sentence may
// speak a client's name or plate, and its clip sits in a file or a table that backups copy. Each
// clip is sealed (AES-256-GCM, @crm/privacy's binary form) under a data key of its own, made when
// the clip is written: subject `clip:<uuid>`, the uuid stored in clear as the clip's first 16
// bytes. A clip is content-addressed and shared by every conversation that says the same words,
// so its key cannot be one person's; the client's erasure deletes the clips only his
// conversations played and shreds their keys, so that no copy of them (a backup of the files or
// of the table) can be opened again, and the retention's purge does the same for old clips.
// A clip written before the clips were sealed (clear MP3, never starts with a uuid and "pdb1")
// is served as it is: the postgres store's migration seals those, the file store's dev files age out.
import { randomUUID } from 'node:crypto';
import { isBytesCiphertext, type PersonalDataVault, type Sql } from '@crm/privacy';
import type { AudioStore, PurgeableAudioStore } from './voice.ports';

/** The additional data every clip is sealed with. */
export const CLIP_FIELD = 'audio_clips.bytes';
const HEAD_BYTES = 16;

/** The vault subject of one clip's key. */
export const clipSubject = (id: string): string => `clip:${id}`;

const uuidOf = (head: Buffer): string => {
  const hex = head.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The clip's subject when the bytes are a sealed clip (uuid | pdb1...), else null (a clear, older clip). */
export function sealedClipSubject(stored: Buffer): string | null {
  if (stored.length <= HEAD_BYTES || !isBytesCiphertext(stored.subarray(HEAD_BYTES))) return null;
  return clipSubject(uuidOf(stored.subarray(0, HEAD_BYTES)));
}

/** Seals a clip under a fresh key of its own: its stored form (the key is written by the vault). */
export async function sealClip(vault: PersonalDataVault, mp3: Buffer, tx?: Sql): Promise<Buffer> {
  const id = randomUUID();
  const writer = await vault.writer(clipSubject(id), tx);
  return Buffer.concat([Buffer.from(id.replace(/-/g, ''), 'hex'), writer.encryptBytes(CLIP_FIELD, mp3)]);
}

const purgeable = (store: AudioStore): store is PurgeableAudioStore =>
  typeof (store as Partial<PurgeableAudioStore>).purgeReturningHeads === 'function';

export class SealedAudioStore implements AudioStore {
  constructor(
    private readonly inner: AudioStore,
    private readonly vault: PersonalDataVault,
  ) {}

  has(key: string): Promise<boolean> {
    return this.inner.has(key);
  }

  async put(key: string, mp3: Buffer): Promise<void> {
    await this.inner.put(key, await sealClip(this.vault, mp3));
  }

  /** The clip's MP3; null when there is none, or when its key was shredded (an erasure raced the read). */
  async get(key: string): Promise<Buffer | null> {
    const stored = await this.inner.get(key);
    if (!stored) return null;
    const subject = sealedClipSubject(stored);
    if (!subject) return stored;
    const opened = (await this.vault.reader([subject])).decryptBytes(
      subject,
      CLIP_FIELD,
      stored.subarray(HEAD_BYTES),
    );
    return opened.erased ? null : opened.value;
  }

  /** Deletes the clips and shreds their keys (a copy elsewhere can no longer be opened). */
  async delete(keys: readonly string[]): Promise<number> {
    const subjects: string[] = [];
    for (const key of keys) {
      const stored = await this.inner.get(key);
      const subject = stored && sealedClipSubject(stored);
      if (subject) subjects.push(subject);
    }
    // keys first: a failure between the two leaves a clip nobody can open, never an open one
    for (const subject of subjects) await this.vault.shred(subject);
    return this.inner.delete(keys);
  }

  /**
   * Deletes the clips written before `before` and shreds their keys; how many went (0 with a store
   * that keeps its clips: the file store of `npm start`).
   */
  async purge(before: Date): Promise<number> {
    if (!purgeable(this.inner)) return 0;
    const heads = await this.inner.purgeReturningHeads(before, HEAD_BYTES + 4);
    for (const head of heads) {
      // a clear clip's head is not a uuid and "pdb1": nothing to shred
      if (head.length === HEAD_BYTES + 4 && isBytesCiphertext(head.subarray(HEAD_BYTES)))
        await this.vault.shred(clipSubject(uuidOf(head.subarray(0, HEAD_BYTES))));
    }
    return heads.length;
  }
}
