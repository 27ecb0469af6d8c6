import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The seed's `remboursements` table. sinistre_id points at the claims service's database, so
 * it is an indexed UUID without a foreign key (docs/graph.md). Tightened from the seed, because
 * the graph declares them non-null: sinistre_id, statut and date_creation are NOT NULL.
 */
export class CreateRemboursements1763900000000 implements MigrationInterface {
  name = 'CreateRemboursements1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE remboursements (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        sinistre_id UUID NOT NULL,
        montant_reclame DECIMAL(12,2),
        montant_accepte DECIMAL(12,2),
        franchise_appliquee DECIMAL(12,2),
        motif_rejet VARCHAR(255),
        date_acceptation TIMESTAMP,
        date_paiement TIMESTAMP,
        moyen_paiement VARCHAR(50),
        statut VARCHAR(30) NOT NULL DEFAULT 'en_attente',
        date_creation TIMESTAMP NOT NULL DEFAULT NOW(),
        CONSTRAINT chk_remboursements_statut
          CHECK (statut IN ('en_attente', 'accepté', 'payé', 'rejeté')),
        CONSTRAINT chk_remboursements_moyen_paiement
          CHECK (moyen_paiement IS NULL OR moyen_paiement IN ('virement', 'chèque')),
        CONSTRAINT chk_remboursements_montants_positifs
          CHECK (montant_reclame >= 0 AND montant_accepte >= 0 AND franchise_appliquee >= 0),
        CONSTRAINT chk_remboursements_accepte_le_reclame
          CHECK (montant_accepte <= montant_reclame),
        CONSTRAINT chk_remboursements_franchise_le_accepte
          CHECK (franchise_appliquee <= montant_accepte),
        CONSTRAINT chk_remboursements_motif_rejet
          CHECK (statut <> 'rejeté' OR motif_rejet IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idx_remboursement_sinistre ON remboursements(sinistre_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE remboursements`);
  }
}
