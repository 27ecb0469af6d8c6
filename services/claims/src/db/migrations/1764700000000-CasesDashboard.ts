import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 19, the cases of the CRM dashboard (seed 2, switch view):
 * - idx_cases_activity: Query.cases lists the most recently active first (last event, else
 *   creation; then id);
 * - audit_sessions: the legacy shape the partner ingestion also writes while LEGACY_DUAL_WRITE
 *   is on (seed 2's migration step 1), one session per case, the backfill's input fields
 *   (docs/backfill.md) as columns.
 */
export class CasesDashboard1764700000000 implements MigrationInterface {
  name = 'CasesDashboard1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `create index idx_cases_activity on cases ((coalesce(last_event_at, created_at)) desc, case_id desc)`,
    );
    await q.query(`
      create table audit_sessions (
        session_id varchar(200) primary key,
        email varchar(254) not null,
        phone varchar(32),
        name varchar(200),
        intent varchar(100) not null,
        visa_type varchar(100) not null,
        site_id varchar(200) not null,
        created_at timestamptz not null,
        completed_at timestamptz not null,
        audit jsonb,
        summary jsonb
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table audit_sessions`);
    await q.query(`drop index idx_cases_activity`);
  }
}
