import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the partner cases of each lead (claims' case ids, from CaseEventRecorded), so that
 * erasing a lead or the client of its e-mail tells claims and escalation which cases were his
 * (LeadErased, ClientErased v2's leadCaseIds). Ids only, no personal data (random UUIDs or
 * hashes); the rows go with their lead. No index on case_id: identity reads a lead's cases by
 * the lead (the primary key's first column), never a case's lead. A case recorded before this
 * migration is not linked (identity never stored its id).
 */
export class LeadCases1767900000000 implements MigrationInterface {
  name = 'LeadCases1767900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lead_cases (
        lead_id UUID NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        case_id VARCHAR(200) NOT NULL,
        PRIMARY KEY (lead_id, case_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lead_cases`);
  }
}
