import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The claims this service knows: a projection of the claims service's claims, fed by its
 * ClaimOpened events (src/claim/claim.consumer.ts), never written by this service's own API.
 * Today it says whose claim a reimbursement is (a policyholder reads his own reimbursements);
 * issue 19 extends it with what computing a reimbursement needs (contract status, coverages,
 * claim status). No foreign key either way: a reimbursement may name a claim not seen yet, and
 * the ids point into the claims and identity databases. Ids only: nothing personal is kept.
 */
export class CreateSinistresConnus1763900001000 implements MigrationInterface {
  name = 'CreateSinistresConnus1763900001000';

  async up(q: QueryRunner): Promise<void> {
    // date_ouverture is an instant from another service's event: TIMESTAMPTZ, whatever the
    // server's time zone
    await q.query(`
      CREATE TABLE sinistres_connus (
        sinistre_id UUID PRIMARY KEY,
        client_id UUID NOT NULL,
        contrat_id UUID,
        date_ouverture TIMESTAMPTZ NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sinistres_connus`);
  }
}
