// The privacy_keys table, the same in every service database holding personal data: each
// service's migrations hold one migration extending PrivacyKeysMigration (its own name and
// timestamp), as they do for @crm/db's AuditLogMigration.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PRIVACY_KEYS_TABLE } from './key-store';

/**
 * One row per subject (a person's id): its data key wrapped under a master key, or, once
 * shredded, a tombstone with neither key nor master key id. Reserved subjects start with "~"
 * (the blind index key).
 */
export abstract class PrivacyKeysMigration implements MigrationInterface {
  abstract name: string;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table ${PRIVACY_KEYS_TABLE} (
        subject_id varchar(200) primary key,
        master_key_id varchar(64),
        wrapped_key bytea,
        created_at timestamptz not null,
        shredded_at timestamptz,
        constraint privacy_keys_state_check check (
          (shredded_at is null and master_key_id is not null and wrapped_key is not null)
          or (shredded_at is not null and master_key_id is null and wrapped_key is null))
      )`);
    // rotation walks the keys still wrapped under an old master key
    await q.query(`create index idx_privacy_keys_master on ${PRIVACY_KEYS_TABLE} (master_key_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table ${PRIVACY_KEYS_TABLE}`);
  }
}
