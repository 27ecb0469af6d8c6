import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Call requests: a lead's partner CALL_REQUESTED (claims publishes CaseCallRequested) is an
 * entry of the queue without a claim. An entry is now about a claim (sinistre_id) or a
 * partner case (dossier_id, the claims service's case, with the lead's e-mail and the number
 * to call back), never both and never neither.
 *
 * - dossier_id: one open entry per case, as one open entry per claim (uq_escalades_sinistre_ouverte).
 * - rappel_avant: the case's call-back deadline (next_action_at of the request).
 * - details: the request as the partner gave it (reason, stage, notes), shown to the advisor.
 */
export class CallRequests1764000000000 implements MigrationInterface {
  name = 'CallRequests1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalades ALTER COLUMN sinistre_id DROP NOT NULL`);
    await q.query(`
      ALTER TABLE escalades
        ADD COLUMN dossier_id UUID,
        ADD COLUMN lead_email VARCHAR(254),
        ADD COLUMN lead_telephone VARCHAR(20),
        ADD COLUMN rappel_avant TIMESTAMP,
        ADD COLUMN details JSONB,
        ADD CONSTRAINT chk_escalades_objet CHECK ((sinistre_id IS NULL) <> (dossier_id IS NULL)),
        ADD CONSTRAINT chk_escalades_lead CHECK ((dossier_id IS NULL) = (lead_email IS NULL)),
        ADD CONSTRAINT chk_escalades_details CHECK (details IS NULL OR jsonb_typeof(details) = 'object')`);
    await q.query(
      `CREATE UNIQUE INDEX uq_escalades_dossier_ouverte ON escalades(dossier_id) WHERE statut <> 'resolue'`,
    );
    await q.query(`CREATE INDEX idx_escalades_dossier ON escalades(dossier_id, date_creation)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_escalades_dossier`);
    await q.query(`DROP INDEX uq_escalades_dossier_ouverte`);
    await q.query(`DELETE FROM escalades WHERE sinistre_id IS NULL`);
    await q.query(`
      ALTER TABLE escalades
        DROP CONSTRAINT chk_escalades_details,
        DROP CONSTRAINT chk_escalades_lead,
        DROP CONSTRAINT chk_escalades_objet,
        DROP COLUMN details,
        DROP COLUMN rappel_avant,
        DROP COLUMN lead_telephone,
        DROP COLUMN lead_email,
        DROP COLUMN dossier_id`);
    await q.query(`ALTER TABLE escalades ALTER COLUMN sinistre_id SET NOT NULL`);
  }
}
