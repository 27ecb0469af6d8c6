import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When the claim's client was erased (ClientErased, the erasure consumer): his words were taken
 * out then, and from then on the claim takes no new ones (a description, a place, photos, a
 * reason, an activity's text: CLAIM.CLIENT_ERASED); amounts, dates and statuses still move.
 * Claims erased before this migration have none (their words are gone already).
 */
export class ClientErasure1767400000000 implements MigrationInterface {
  name = 'ClientErasure1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sinistres ADD COLUMN client_efface_le TIMESTAMP`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sinistres DROP COLUMN client_efface_le`);
  }
}
