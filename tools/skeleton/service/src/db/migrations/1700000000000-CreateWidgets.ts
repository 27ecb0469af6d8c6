import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { AuditLog1700000000001 } from './1700000000001-AuditLog';

/** Hand-written SQL, up and down: schemas change only through migrations, never `synchronize`. */
export class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE widgets (
        id UUID PRIMARY KEY,
        nom VARCHAR(100) NOT NULL,
        date_creation TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        CONSTRAINT uq_widgets_nom UNIQUE (nom)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE widgets`);
  }
}

/** In order; appended after the event backbone's by startService. */
export const SAMPLE_MIGRATIONS = [CreateWidgets1700000000000, AuditLog1700000000001];
