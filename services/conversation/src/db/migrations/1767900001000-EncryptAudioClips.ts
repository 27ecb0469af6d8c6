import type { MigrationInterface, QueryRunner } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { isBytesCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the clips' sealed form was when this migration was written (the same as
// voice/sealed-audio-store.ts sealClip, which may evolve later without changing what this did)
const CLIP_FIELD = 'audio_clips.bytes';
async function sealClip(vault: PersonalDataVault, mp3: Buffer): Promise<Buffer> {
  const id = randomUUID();
  const writer = await vault.writer(`clip:${id}`);
  return Buffer.concat([Buffer.from(id.replace(/-/g, ''), 'hex'), writer.encryptBytes(CLIP_FIELD, mp3)]);
}
const BATCH = 200;

/**
 * Issue 18: the bot's voice clips (audio_clips, AUDIO_STORE=postgres) were clear MP3, and a bot
 * sentence may speak a client's name. Each clip is sealed under a data key of its own
 * (voice/sealed-audio-store.ts: a uuid, then @crm/privacy's binary form), in this migration's
 * transaction, and a check keeps clear clips out from now on: the erasure and the retention
 * shred a clip's key with it, so a backup of the table cannot be opened either.
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Not reversible: going back would write the clips in clear again.
 */
export function encryptAudioClipsMigration(wrapper: KeyWrapper) {
  return class EncryptAudioClips1767900001000 implements MigrationInterface {
    name = 'EncryptAudioClips1767900001000';

    async up(q: QueryRunner): Promise<void> {
      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });
      // keyset on the primary key; the sealed ones (a run stopped half-way) are left as they are
      let after = '';
      for (;;) {
        const rows = (await q.query(
          `select key, bytes from audio_clips where key > $1 order by key limit $2`,
          [after, BATCH],
        )) as { key: string; bytes: Buffer }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          if (row.bytes.length > 16 && isBytesCiphertext(row.bytes.subarray(16))) continue;
          await q.query(`update audio_clips set bytes = $2 where key = $1`, [
            row.key,
            await sealClip(vault, row.bytes),
          ]);
        }
        after = rows[rows.length - 1]!.key;
      }
      await q.query(`
        alter table audio_clips add constraint audio_clips_sealed_check
          check (substring(bytes from 17 for 4) = '\\x70646231'::bytea)`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error('EncryptAudioClips1767900001000 is not reversible: it would write the clips in clear'),
      );
    }
  };
}
