import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory's claims learn their archiving (ClaimArchived, the seed's DELETE /sinistres/:id):
 * the bot no longer names an archived claim to its client, nor counts it among his prior claims
 * (as the claims service does not). The row stays: a later erasure of the client still finds the
 * messages said on it. A claim archived before this migration stays listed until the claims
 * service's events are replayed to the directory.
 */
export class DirectoryArchivedClaims1768000001000 implements MigrationInterface {
  name = 'DirectoryArchivedClaims1768000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_claims ADD COLUMN archived_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_claims DROP COLUMN archived_at`);
  }
}
