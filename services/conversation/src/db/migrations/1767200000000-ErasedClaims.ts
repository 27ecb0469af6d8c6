import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The claims of erased clients, by id only (no person in it): a message posted on one afterwards
 * (addClaimMessage, the seed's POST /sinistres/:id/conversation) is refused, as the directory
 * forgets whose claim it was at the erasure. Filled by ClientErased from this migration on.
 */
export class ErasedClaims1767200000000 implements MigrationInterface {
  name = 'ErasedClaims1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_erased_claims (
        claim_id UUID PRIMARY KEY,
        erased_at TIMESTAMP NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE directory_erased_claims`);
  }
}
