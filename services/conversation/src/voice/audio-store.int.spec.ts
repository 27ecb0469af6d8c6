// The PostgreSQL audio store (AUDIO_STORE=postgres) of a real conversation service: a clip
// written once per key, sealed at rest under a key of its own (sealed-audio-store.ts), read back
// byte for byte, and deleted by the retention task's purge (AUDIO_RETENTION_DAYS) once older than
// the retention, measured on the service's clock; deleting or purging a clip shreds its key. The
// EncryptAudioClips migration seals the clips of an existing database.
import { randomBytes, randomUUID } from 'node:crypto';
import { freshServicePrivacy, serviceVault } from '@crm/privacy';
import { migrateFrom, startServiceForTest } from '@crm/testing';
import { ADVISOR, type Harness } from '../../test/harness';
import { envSchema } from '../env';
import { conversationService, definitionFromEnv } from '../service';
import { CLIP_FIELD, sealedClipSubject } from './sealed-audio-store';

const DAY = 86_400_000;
const key = () => randomBytes(32).toString('hex');
/** an MP3 frame header and words a bot sentence could speak */
const clipOf = (words: string) => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.from(words)]);

describe('the PostgreSQL audio store and its retention', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startServiceForTest(definitionFromEnv, {
      envSchema,
      principal: ADVISOR,
      label: 'audiostore',
      env: {
        AUDIO_STORE: 'postgres',
        AUDIO_RETENTION_DAYS: '30',
        TTS_PROVIDER: 'none',
        VOICE_WARM_UP: 'false',
      },
    });
  }, 120_000);
  afterAll(() => h?.stop());

  it('keeps a clip once per key, reads it back and refuses a key that is not a hash', async () => {
    const { store } = h.service.parts.voice;
    const k = key();
    const first = randomBytes(2048);
    expect(await store.has(k)).toBe(false);
    await store.put(k, first);
    await store.put(k, randomBytes(16)); // the same key again: the first clip stays
    expect(await store.has(k)).toBe(true);
    expect((await store.get(k))?.equals(first)).toBe(true);
    expect(await store.get(key())).toBeNull();
    await expect(store.put('../etc/passwd', first)).rejects.toThrow(/64 hexadecimal/);
  });

  it('keeps every clip sealed under a key of its own: no clear byte in the table, and the table refuses a clear clip', async () => {
    const { store } = h.service.parts.voice;
    const [k, other] = [key(), key()];
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    await store.put(k, clipOf(`Bonjour Monsieur ${canary}`));
    await store.put(other, clipOf(`Bonjour Monsieur ${canary}`));
    const rows = await rawClips(h, [k, other]);
    for (const row of rows) {
      expect(row.bytes.includes(Buffer.from(canary))).toBe(false);
      expect(sealedClipSubject(row.bytes)).toMatch(/^clip:[0-9a-f-]{36}$/);
    }
    // the same words twice: two keys, two ciphertexts
    expect(sealedClipSubject(rows[0]!.bytes)).not.toBe(sealedClipSubject(rows[1]!.bytes));
    expect((await store.get(k))?.equals(clipOf(`Bonjour Monsieur ${canary}`))).toBe(true);
    await expect(
      h.sql(`INSERT INTO audio_clips (key, mime, bytes, created_at) VALUES ($1, 'audio/mpeg', $2, now())`, [
        key(),
        clipOf('clair'),
      ]),
    ).rejects.toThrow(/audio_clips_sealed_check/);
  });

  it('the purge deletes the clips older than the retention and keeps the others', async () => {
    const { store } = h.service.parts.voice;
    const old = key();
    const recent = key();
    await store.put(old, randomBytes(64));
    await store.put(recent, randomBytes(64));
    // age the first clip past the retention (the store stamps clips with the service's clock)
    await h.service.runtime.dataSource.query(
      `UPDATE audio_clips SET created_at = created_at - interval '31 days' WHERE key = $1`,
      [old],
    );
    const now = new Date((await h.service.runtime.dataSource.query(`SELECT now() AS t`))[0].t as Date);
    const [oldRow] = await rawClips(h, [old]);
    const deleted = await h.service.parts.voice.purge(new Date(now.getTime() + DAY));
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await store.has(old)).toBe(false);
    expect(await store.has(recent)).toBe(true);
    // a copy of the purged clip (a backup) can no longer be opened
    expect(await openCopy(h, oldRow!.bytes)).toEqual({ erased: true });
    expect(await store.get(recent)).not.toBeNull();
  });

  it("deletes the clips it is given (an erased client's), the others stay", async () => {
    const { store } = h.service.parts.voice;
    const [his, another] = [key(), key()];
    await store.put(his, clipOf('Monsieur Efface'));
    await store.put(another, clipOf('Au revoir'));
    const [hisRow, anotherRow] = await rawClips(h, [his, another]);
    expect(await openCopy(h, hisRow!.bytes)).toEqual({ erased: false, value: clipOf('Monsieur Efface') });
    expect(await store.delete([his, key()])).toBe(1);
    // his clip's key is shredded with it: a copy made before (a backup) opens to nothing
    expect(await openCopy(h, hisRow!.bytes)).toEqual({ erased: true });
    expect(await openCopy(h, anotherRow!.bytes)).toEqual({ erased: false, value: clipOf('Au revoir') });
    expect(await store.has(his)).toBe(false);
    expect(await store.has(another)).toBe(true);
    expect(await store.delete([])).toBe(0);
    await expect(store.delete(['../etc/passwd'])).rejects.toThrow(/64 hexadecimal/);
  });
});

/** the clips' rows as stored, in the order of `keys` */
async function rawClips(h: Harness, keys: string[]): Promise<{ key: string; bytes: Buffer }[]> {
  const rows = await h.sql<{ key: string; bytes: Buffer }>(
    `SELECT key, bytes FROM audio_clips WHERE key = ANY($1::text[])`,
    [keys],
  );
  return keys.map((k) => rows.find((r) => r.key === k)!);
}

/** opens a stored copy of a clip with the service's vault, as someone holding a backup would try */
async function openCopy(h: Harness, stored: Buffer) {
  const subject = sealedClipSubject(stored)!;
  const { vault } = h.service.parts;
  vault.forget(subject);
  return (await vault.reader([subject])).decryptBytes(subject, CLIP_FIELD, stored.subarray(16));
}

describe('EncryptAudioClips migration', () => {
  it('seals the clear clips of an existing database in place, which still play', async () => {
    const privacy = freshServicePrivacy();
    const definition = conversationService(undefined, undefined, undefined, undefined, privacy);
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const [k1, k2] = [key(), key()];
    await migrateFrom('conversation_encrypt_audio', {
      of: definition,
      name: 'EncryptAudioClips1767900001000',
      seed: async (old) => {
        await old.query(
          `INSERT INTO audio_clips (key, mime, bytes, created_at)
             VALUES ($1, 'audio/mpeg', $2, now()), ($3, 'audio/mpeg', $4, now())`,
          [k1, clipOf(`Madame ${canary}`), k2, clipOf('Merci')],
        );
      },
      check: async (ds) => {
        const rows = await ds.query<{ key: string; bytes: Buffer }[]>(
          `SELECT key, bytes FROM audio_clips ORDER BY key`,
        );
        expect(rows).toHaveLength(2);
        for (const row of rows) expect(row.bytes.includes(Buffer.from(canary))).toBe(false);
        const vault = serviceVault(privacy, ds);
        const opened = await Promise.all(
          [k1, k2].map(async (k) => {
            const stored = rows.find((r) => r.key === k)!.bytes;
            const subject = sealedClipSubject(stored)!;
            const clip = (await vault.reader([subject])).decryptBytes(
              subject,
              CLIP_FIELD,
              stored.subarray(16),
            );
            return clip.erased ? null : clip.value.toString('latin1');
          }),
        );
        expect(opened).toEqual(
          [clipOf(`Madame ${canary}`), clipOf('Merci')].map((b) => b.toString('latin1')),
        );
      },
    });
  });
});
