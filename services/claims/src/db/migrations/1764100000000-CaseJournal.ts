import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 7 (seed 2 in full): every claim has a case, and its opening is a journal entry
 * (CLAIM_OPENED) next to the partners' four event types; casesByLead lists a lead's cases by
 * their last activity.
 */
export class CaseJournal1764100000000 implements MigrationInterface {
  name = 'CaseJournal1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table case_events drop constraint case_events_type_check,
        add constraint case_events_type_check check (type in
          ('AUDIT_COMPLETED', 'CALL_REQUESTED', 'CHAT_SUMMARIZED', 'APPOINTMENT_BOOKED', 'CLAIM_OPENED'))`);
    await q.query(
      `create index idx_cases_lead_activity on cases (lead_id, (coalesce(last_event_at, created_at)) desc)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index idx_cases_lead_activity`);
    await q.query(`
      alter table case_events drop constraint case_events_type_check,
        add constraint case_events_type_check check (type in
          ('AUDIT_COMPLETED', 'CALL_REQUESTED', 'CHAT_SUMMARIZED', 'APPOINTMENT_BOOKED'))`);
  }
}
