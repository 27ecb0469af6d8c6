import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 19, recommended actions that get done: who last changed an action's status, when and
 * why (an advisor, or a rule that retired it as the facts changed), its due date (by priority:
 * haute 2 days, normale 5, basse 10 from its creation) and when its overdue alert fired (once).
 * The partial index serves the poller that looks for open actions past due.
 */
export class ActionFollowUp1764600000000 implements MigrationInterface {
  name = 'ActionFollowUp1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE actions_recommandees
        ADD COLUMN date_echeance TIMESTAMP,
        ADD COLUMN statut_par_type VARCHAR(20),
        ADD COLUMN statut_par_id VARCHAR(200),
        ADD COLUMN date_statut TIMESTAMP,
        ADD COLUMN motif_statut VARCHAR(255),
        ADD COLUMN alerte_retard_le TIMESTAMP`);
    await q.query(`
      UPDATE actions_recommandees SET date_echeance = date_creation + CASE priorite
        WHEN 'haute' THEN interval '2 days' WHEN 'basse' THEN interval '10 days' ELSE interval '5 days' END`);
    await q.query(`
      CREATE INDEX idx_actions_echeance ON actions_recommandees (date_echeance)
        WHERE statut IN ('en_attente', 'en_cours') AND alerte_retard_le IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_actions_echeance`);
    await q.query(`
      ALTER TABLE actions_recommandees
        DROP COLUMN date_echeance, DROP COLUMN statut_par_type, DROP COLUMN statut_par_id,
        DROP COLUMN date_statut, DROP COLUMN motif_statut, DROP COLUMN alerte_retard_le`);
  }
}
