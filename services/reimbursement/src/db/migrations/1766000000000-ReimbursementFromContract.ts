import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 19, a reimbursement computed from the contract (docs/reimbursement.md):
 * - contrats_connus: identity's contracts as ContractIssued tells them (status, dates,
 *   garanties, deductibles, coverages); ids and contract terms only, nothing personal;
 * - sinistres_connus gains what the assessment reads of a claim (type, day, third party) and
 *   its status (ClaimStatusChanged) and the channel it was declared on (the automatic proposal
 *   is the bot's declarations'); rows recorded before keep nulls (assessed as UNKNOWN);
 * - remboursements gains the assessment it was created with (evaluation), the advisor's
 *   override of it (derogation), and who opened it (origine: an advisor, or the automatic
 *   proposal, at most one per claim).
 */
export class ReimbursementFromContract1766000000000 implements MigrationInterface {
  name = 'ReimbursementFromContract1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contrats_connus (
        contrat_id UUID PRIMARY KEY,
        client_id UUID NOT NULL,
        statut VARCHAR(20) NOT NULL CHECK (statut IN ('actif', 'suspendu', 'résilié')),
        date_souscription DATE NOT NULL,
        date_expiration DATE,
        garanties JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(garanties) = 'array'),
        franchise_tiers DECIMAL(10,2),
        franchise_tiers_collision DECIMAL(10,2),
        couverture_dommage_materiel BOOLEAN,
        couverture_tiers BOOLEAN,
        couverture_rc_civile BOOLEAN,
        date_emission TIMESTAMPTZ NOT NULL
      )`);
    await q.query(`
      ALTER TABLE sinistres_connus
        ADD COLUMN type_sinistre VARCHAR(60),
        ADD COLUMN date_sinistre DATE,
        ADD COLUMN tiers_implique BOOLEAN,
        ADD COLUMN tiers_responsable BOOLEAN,
        ADD COLUMN estimation_dommage DECIMAL(12,2),
        ADD COLUMN status_dossier VARCHAR(30),
        ADD COLUMN date_statut TIMESTAMPTZ,
        ADD COLUMN canal VARCHAR(20)`);
    await q.query(`CREATE INDEX idx_sinistres_connus_contrat ON sinistres_connus (contrat_id)`);
    await q.query(`
      ALTER TABLE remboursements
        ADD COLUMN evaluation JSONB,
        ADD COLUMN derogation JSONB,
        ADD COLUMN origine VARCHAR(20) NOT NULL DEFAULT 'conseiller'
          CHECK (origine IN ('conseiller', 'automatique'))`);
    // the automatic proposal is made once per claim, whichever projection completes it
    await q.query(
      `CREATE UNIQUE INDEX uq_remboursement_automatique ON remboursements (sinistre_id) WHERE origine = 'automatique'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_remboursement_automatique`);
    await q.query(
      `ALTER TABLE remboursements DROP COLUMN evaluation, DROP COLUMN derogation, DROP COLUMN origine`,
    );
    await q.query(`DROP INDEX idx_sinistres_connus_contrat`);
    await q.query(`
      ALTER TABLE sinistres_connus
        DROP COLUMN type_sinistre, DROP COLUMN date_sinistre, DROP COLUMN tiers_implique,
        DROP COLUMN tiers_responsable, DROP COLUMN estimation_dommage, DROP COLUMN status_dossier,
        DROP COLUMN date_statut, DROP COLUMN canal`);
    await q.query(`DROP TABLE contrats_connus`);
  }
}
