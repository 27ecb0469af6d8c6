import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 7, the seed's « Actions Affichables »: what nothing else records (a letter sent,
 * documents received after the declaration, a garage appointment booked by an advisor),
 * `[{kind, detail, at, actor{kind,id}, recordedAt}]`, appended under the claim's row lock.
 */
export class ClaimActivity1764300000000 implements MigrationInterface {
  name = 'ClaimActivity1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table sinistres
        add column activites jsonb not null default '[]'
          constraint sinistres_activites_array check (jsonb_typeof(activites) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table sinistres drop column activites`);
  }
}
