import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 7, the seed's « Délai > 5 jours → Escalade »: the stall timer's journal entry
 * (DELAY_EXCEEDED) and the index its poller reads (open claims by last progress).
 */
export class ClaimDelayTimer1764200000000 implements MigrationInterface {
  name = 'ClaimDelayTimer1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table case_events drop constraint case_events_type_check,
        add constraint case_events_type_check check (type in
          ('AUDIT_COMPLETED', 'CALL_REQUESTED', 'CHAT_SUMMARIZED', 'APPOINTMENT_BOOKED', 'CLAIM_OPENED',
           'DELAY_EXCEEDED'))`);
    // only open, non-archived claims can stall: the index stays small as claims close
    await q.query(
      `create index idx_sinistres_stall on sinistres (date_modification)
        where archived_at is null and status_dossier <> 'fermé'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index idx_sinistres_stall`);
    // the narrower CHECK cannot hold these entries (DELETE stays possible on the journal)
    await q.query(`delete from case_events where type = 'DELAY_EXCEEDED'`);
    await q.query(`
      alter table case_events drop constraint case_events_type_check,
        add constraint case_events_type_check check (type in
          ('AUDIT_COMPLETED', 'CALL_REQUESTED', 'CHAT_SUMMARIZED', 'APPOINTMENT_BOOKED', 'CLAIM_OPENED'))`);
  }
}
