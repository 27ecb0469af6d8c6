import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 7: the triggers a claim has fired (seed « Système d'Escalade ») and its status
 * history (who moved it, when, why; seed « Audit complet »). Both are read with the claim
 * and only ever appended to, so they live on the row as JSON arrays (no join, no loader).
 */
export class ClaimLifecycle1764000000000 implements MigrationInterface {
  name = 'ClaimLifecycle1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table sinistres
        add column declencheurs jsonb not null default '[]'
          constraint sinistres_declencheurs_array check (jsonb_typeof(declencheurs) = 'array'),
        add column historique_statut jsonb not null default '[]'
          constraint sinistres_historique_statut_array check (jsonb_typeof(historique_statut) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table sinistres drop column historique_statut, drop column declencheurs`);
  }
}
