import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: identity links a lead to its cases from CaseEventRecorded since its LeadCases
 * migration; a case recorded before has no link, so the lead's erasure would not name it. Every
 * case existing now is marked to be named once (CaseLeadLinked, published by the lead-links task:
 * cases/lead-links.ts); a case recorded from now on is linked by its own CaseEventRecorded and
 * starts marked done. A partial index keeps the task's look for work one index probe once done.
 */
export class CaseLeadLinks1767900003000 implements MigrationInterface {
  name = 'CaseLeadLinks1767900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table cases add column lead_link_published boolean not null default false`);
    await q.query(`alter table cases alter column lead_link_published set default true`);
    await q.query(
      `create index idx_cases_lead_link_pending on cases (case_id) where not lead_link_published`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index idx_cases_lead_link_pending`);
    await q.query(`alter table cases drop column lead_link_published`);
  }
}
