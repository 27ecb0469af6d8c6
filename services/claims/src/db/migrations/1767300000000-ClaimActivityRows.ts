import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 21 (the soak): a claim's hand-recorded activity moves from the JSONB array
 * `sinistres.activites` to rows of its own, `activites_sinistre`. The array was read whole by
 * every read of the claim (a list of ten claims loaded every entry of every one of them) and
 * rewritten whole by every entry added: a claim followed for months made both grow without
 * end. Rows are read only for `Claim.activity`, the newest MAX_CLAIM_ACTIVITY per claim, and
 * an entry costs one insert. `id` keeps the order of recording (the array's order).
 * Timestamps are TIMESTAMP in UTC, as the rest of the schema; the array's ISO instants are
 * converted as such.
 */
export class ClaimActivityRows1767300000000 implements MigrationInterface {
  name = 'ClaimActivityRows1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE activites_sinistre (
        id BIGSERIAL PRIMARY KEY,
        sinistre_id UUID NOT NULL REFERENCES sinistres(id) ON DELETE CASCADE,
        type_activite VARCHAR(30) NOT NULL
          CONSTRAINT activites_sinistre_type
          CHECK (type_activite IN ('DOCUMENTS_RECEIVED', 'GARAGE_APPOINTMENT', 'LETTER_SENT')),
        detail TEXT,
        date_activite TIMESTAMP NOT NULL,
        acteur_type VARCHAR(20) NOT NULL,
        acteur_id VARCHAR(200) NOT NULL,
        date_enregistrement TIMESTAMP NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_activites_sinistre ON activites_sinistre (sinistre_id, id)`);
    await q.query(`
      INSERT INTO activites_sinistre
             (sinistre_id, type_activite, detail, date_activite, acteur_type, acteur_id, date_enregistrement)
      SELECT s.id, a->>'kind', a->>'detail',
             (a->>'at')::timestamptz AT TIME ZONE 'UTC',
             coalesce(a->'actor'->>'kind', 'system'), left(coalesce(a->'actor'->>'id', 'unknown'), 200),
             coalesce((a->>'recordedAt')::timestamptz, (a->>'at')::timestamptz) AT TIME ZONE 'UTC'
        FROM sinistres s, jsonb_array_elements(s.activites) WITH ORDINALITY AS e(a, i)
       ORDER BY s.id, i`);
    await q.query(`ALTER TABLE sinistres DROP COLUMN activites`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sinistres
        ADD COLUMN activites JSONB NOT NULL DEFAULT '[]'
          CONSTRAINT sinistres_activites_array CHECK (jsonb_typeof(activites) = 'array')`);
    await q.query(`
      UPDATE sinistres s SET activites = a.entries
        FROM (SELECT sinistre_id,
                     jsonb_agg(jsonb_build_object(
                       'kind', type_activite, 'detail', detail,
                       'at', to_char(date_activite, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'actor', jsonb_build_object('kind', acteur_type, 'id', acteur_id),
                       'recordedAt', to_char(date_enregistrement, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                       ORDER BY id) AS entries
                FROM activites_sinistre GROUP BY sinistre_id) a
       WHERE s.id = a.sinistre_id`);
    await q.query(`DROP TABLE activites_sinistre`);
  }
}
