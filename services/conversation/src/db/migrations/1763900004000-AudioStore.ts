import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The bot's audio in the service's own database (issue 22, AUDIO_STORE=postgres): one row per
 * key (SHA-256 of the voice and the sentence), written once; deleted after AUDIO_RETENTION_DAYS
 * (the words may name the client). Served to the gateway at /audio/<key>.mp3.
 */
export class AudioStore1763900004000 implements MigrationInterface {
  name = 'AudioStore1763900004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audio_clips (
        key CHAR(64) PRIMARY KEY CONSTRAINT chk_audio_clips_key CHECK (key ~ '^[a-f0-9]{64}$'),
        mime VARCHAR(50) NOT NULL,
        bytes BYTEA NOT NULL CONSTRAINT chk_audio_clips_bytes CHECK (octet_length(bytes) > 0),
        created_at TIMESTAMP NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_audio_clips_created_at ON audio_clips(created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audio_clips`);
  }
}
