import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * conseillers (seed DDL) plus this service's own tables: escalades (the queue of escalated
 * claims) and affectations (who held which entry, when, and why).
 *
 * Beyond the seed:
 * - conseillers.capacite: how many open entries an advisor may hold (default 5);
 *   nb_dossiers_actifs counts the open entries held, kept in step by the service under row
 *   locks, and the CHECK below makes exceeding the capacity impossible even for a buggy writer.
 * - statut, nb_dossiers_actifs and date_creation are NOT NULL (the graph declares them non-null).
 * - sinistre_id and client_id live in other services' databases: indexed UUIDs, no foreign key.
 */
export class CreateEscalation1763900000000 implements MigrationInterface {
  name = 'CreateEscalation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conseillers (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        nom VARCHAR(100) NOT NULL,
        email VARCHAR(100) UNIQUE,
        telephone VARCHAR(20),
        statut VARCHAR(20) NOT NULL DEFAULT 'disponible',
        specialite VARCHAR(100),
        nb_dossiers_actifs INT NOT NULL DEFAULT 0,
        capacite INT NOT NULL DEFAULT 5,
        date_creation TIMESTAMP NOT NULL DEFAULT NOW(),
        CONSTRAINT chk_conseillers_statut CHECK (statut IN ('disponible', 'occupe', 'pause')),
        CONSTRAINT chk_conseillers_capacite CHECK (capacite >= 0),
        CONSTRAINT chk_conseillers_dossiers_actifs
          CHECK (nb_dossiers_actifs >= 0 AND nb_dossiers_actifs <= capacite)
      )`);
    await q.query(`
      CREATE TABLE escalades (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        sinistre_id UUID NOT NULL,
        client_id UUID,
        raisons JSONB NOT NULL DEFAULT '[]'::jsonb,
        priorite INT NOT NULL DEFAULT 0,
        statut VARCHAR(20) NOT NULL DEFAULT 'en_attente',
        conseiller_id UUID REFERENCES conseillers(id),
        date_creation TIMESTAMP NOT NULL DEFAULT NOW(),
        date_assignation TIMESTAMP,
        date_resolution TIMESTAMP,
        resolution TEXT,
        CONSTRAINT chk_escalades_statut CHECK (statut IN ('en_attente', 'assignee', 'en_cours', 'resolue')),
        CONSTRAINT chk_escalades_raisons CHECK (jsonb_typeof(raisons) = 'array'),
        CONSTRAINT chk_escalades_priorite CHECK (priorite BETWEEN 0 AND 100),
        -- waiting means nobody holds it; every later state has the advisor who holds (held) it
        CONSTRAINT chk_escalades_conseiller CHECK ((statut = 'en_attente') = (conseiller_id IS NULL)),
        CONSTRAINT chk_escalades_resolution CHECK ((statut = 'resolue') = (date_resolution IS NOT NULL))
      )`);
    // one open entry per claim: escalating twice returns the entry already waiting
    await q.query(
      `CREATE UNIQUE INDEX uq_escalades_sinistre_ouverte ON escalades(sinistre_id) WHERE statut <> 'resolue'`,
    );
    await q.query(`CREATE INDEX idx_escalades_sinistre ON escalades(sinistre_id, date_creation)`);
    await q.query(`CREATE INDEX idx_escalades_client ON escalades(client_id)`);
    await q.query(`CREATE INDEX idx_escalades_conseiller ON escalades(conseiller_id)`);
    // the queue's order (priority, then waiting time) as an index: keyset pages read it in order
    await q.query(`CREATE INDEX idx_escalades_file ON escalades(statut, priorite DESC, date_creation, id)`);
    await q.query(`
      CREATE TABLE affectations (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        escalade_id UUID NOT NULL REFERENCES escalades(id) ON DELETE CASCADE,
        conseiller_id UUID NOT NULL REFERENCES conseillers(id),
        date_debut TIMESTAMP NOT NULL DEFAULT NOW(),
        date_fin TIMESTAMP,
        motif VARCHAR(20) NOT NULL,
        CONSTRAINT chk_affectations_motif CHECK (motif IN ('auto', 'manuel', 'reaffectation')),
        CONSTRAINT chk_affectations_dates CHECK (date_fin IS NULL OR date_fin >= date_debut)
      )`);
    // an entry never has two advisors at once
    await q.query(
      `CREATE UNIQUE INDEX uq_affectations_en_cours ON affectations(escalade_id) WHERE date_fin IS NULL`,
    );
    await q.query(`CREATE INDEX idx_affectations_escalade ON affectations(escalade_id, date_debut)`);
    await q.query(`CREATE INDEX idx_affectations_conseiller ON affectations(conseiller_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE affectations`);
    await q.query(`DROP TABLE escalades`);
    await q.query(`DROP TABLE conseillers`);
  }
}
