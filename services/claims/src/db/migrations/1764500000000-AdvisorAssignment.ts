import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 15: the escalation queue's AdvisorAssigned sets `sinistres.conseiller_affecte_id` and a
 * case's `owner_uid`. The instant of the assignment applied is kept beside each, so that an
 * older assignment delivered after a newer one (two entries of one claim are two Kafka keys)
 * never takes the claim or the case back.
 */
export class AdvisorAssignment1764500000000 implements MigrationInterface {
  name = 'AdvisorAssignment1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table sinistres add column conseiller_affecte_le timestamp`);
    await q.query(`alter table cases add column owner_assigned_at timestamp`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table cases drop column owner_assigned_at`);
    await q.query(`alter table sinistres drop column conseiller_affecte_le`);
  }
}
