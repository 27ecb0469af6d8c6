import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A lead's erasure and its progress (issue 18: "an erasure request shows its progress per
 * service to the supervisor"), as a client's has (ErasureReceipts1767200000000):
 * - lead_erasures: one row per lead erased by eraseLead (its record is deleted with its key, so
 *   the erasure needs a row of its own): when, how many LeadErased events told its cases, how
 *   many cases;
 * - lead_erasure_receipts: each service's proof of each LeadErased event (LeadCasesErased,
 *   LeadCallRequestsErased), once.
 * Ids, dates and counts only: no personal data.
 */
export class LeadErasures1767900002000 implements MigrationInterface {
  name = 'LeadErasures1767900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lead_erasures (
        lead_record_id UUID PRIMARY KEY,
        erased_at TIMESTAMPTZ NOT NULL,
        events INT NOT NULL CONSTRAINT chk_lead_erasures_events CHECK (events >= 1),
        cases INT NOT NULL CONSTRAINT chk_lead_erasures_cases CHECK (cases >= 0)
      )`);
    await q.query(`
      CREATE TABLE lead_erasure_receipts (
        lead_record_id UUID NOT NULL,
        service VARCHAR(40) NOT NULL,
        erasure_event_id VARCHAR(200) NOT NULL,
        erased_at TIMESTAMPTZ NOT NULL,
        items INT NOT NULL CONSTRAINT chk_lead_erasure_receipts_items CHECK (items >= 0),
        received_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (lead_record_id, service, erasure_event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lead_erasure_receipts`);
    await q.query(`DROP TABLE lead_erasures`);
  }
}
