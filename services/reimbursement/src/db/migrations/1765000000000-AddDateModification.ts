import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * date_modification: when the reimbursement last changed (not in the seed's DDL, which has
 * none for remboursements). It is the version a writer checks (expectedUpdatedAt, the REST
 * facade's If-Match): a change made since the writer read it refuses the write (WRITE.STALE).
 * Existing rows take their last known change.
 */
export class AddDateModification1765000000000 implements MigrationInterface {
  name = 'AddDateModification1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE remboursements ADD COLUMN date_modification TIMESTAMP`);
    await q.query(
      `UPDATE remboursements SET date_modification = GREATEST(date_creation, date_acceptation, date_paiement)`,
    );
    await q.query(
      `ALTER TABLE remboursements ALTER COLUMN date_modification SET NOT NULL, ALTER COLUMN date_modification SET DEFAULT NOW()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE remboursements DROP COLUMN date_modification`);
  }
}
