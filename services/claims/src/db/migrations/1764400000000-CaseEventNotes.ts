import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 12: a partner event whose identity the CRM could not fully read (an unreadable phone)
 * is applied without that field; its journal entry says what was left out,
 * `[{field, code, received, region}]`.
 */
export class CaseEventNotes1764400000000 implements MigrationInterface {
  name = 'CaseEventNotes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table case_events
        add column notes jsonb not null default '[]'
          constraint case_events_notes_array check (jsonb_typeof(notes) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table case_events drop column notes`);
  }
}
