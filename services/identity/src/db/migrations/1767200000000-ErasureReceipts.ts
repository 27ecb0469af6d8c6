import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The proofs the other services send of their part of a client's erasure (ConversationsErased,
 * ClaimsErased, EscalationEntriesErased): one row per client and service, the latest kept.
 * Shown to supervisors as the erasure's progress (Client.erasure). No personal data.
 */
export class ErasureReceipts1767200000000 implements MigrationInterface {
  name = 'ErasureReceipts1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE erasure_receipts (
        client_id UUID NOT NULL,
        service VARCHAR(40) NOT NULL,
        erasure_event_id VARCHAR(200) NOT NULL,
        erased_at TIMESTAMPTZ NOT NULL,
        items INT NOT NULL CONSTRAINT chk_erasure_receipts_items CHECK (items >= 0),
        received_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (client_id, service)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE erasure_receipts`);
  }
}
