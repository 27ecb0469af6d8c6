import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The bot's local copy of the facts it needs to authenticate a caller by matricule, confirm
 * who they are and answer follow-up questions (docs/architecture.md, The shape: a projection fed by
 * identity's and claims' events). No foreign keys between these tables: a contract or a claim
 * may be seen before its client. directory_erasures keeps only the ids of erased clients (no
 * personal data), so a late event cannot bring an erased client back. last_event_at makes
 * every write conditional on the event being newer than the row.
 */
export class CreateDirectoryProjection1763900001000 implements MigrationInterface {
  name = 'CreateDirectoryProjection1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_clients (
        client_id UUID PRIMARY KEY,
        matricule VARCHAR(20) NOT NULL,
        matricule_key VARCHAR(20) NOT NULL,
        civility VARCHAR(10),
        last_name VARCHAR(100) NOT NULL,
        first_name VARCHAR(100) NOT NULL,
        status VARCHAR(20) NOT NULL
          CONSTRAINT chk_directory_clients_status CHECK (status IN ('actif', 'inactif')),
        last_event_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE UNIQUE INDEX idx_directory_clients_matricule ON directory_clients(matricule_key)`);
    await q.query(`
      CREATE TABLE directory_contracts (
        contract_id UUID PRIMARY KEY,
        client_id UUID NOT NULL,
        contract_number VARCHAR(50) NOT NULL,
        contract_type VARCHAR(50) NOT NULL
          CONSTRAINT chk_directory_contracts_type CHECK (contract_type IN ('auto', 'habitation', 'autre')),
        status VARCHAR(20) NOT NULL
          CONSTRAINT chk_directory_contracts_status CHECK (status IN ('actif', 'suspendu', 'résilié')),
        subscribed_on DATE NOT NULL,
        expires_on DATE,
        coverages JSONB NOT NULL DEFAULT '[]'::jsonb,
        third_party_deductible DECIMAL(10,2),
        collision_deductible DECIMAL(10,2),
        property_damage_cover BOOLEAN,
        third_party_cover BOOLEAN,
        civil_liability_cover BOOLEAN,
        last_event_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE INDEX idx_directory_contracts_client ON directory_contracts(client_id)`);
    await q.query(`
      CREATE TABLE directory_claims (
        claim_id UUID PRIMARY KEY,
        client_id UUID NOT NULL,
        claim_number VARCHAR(50) NOT NULL,
        claim_type VARCHAR(20) NOT NULL,
        occurred_on DATE NOT NULL,
        status VARCHAR(30) NOT NULL,
        last_event_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE INDEX idx_directory_claims_client ON directory_claims(client_id)`);
    await q.query(`
      CREATE TABLE directory_erasures (
        client_id UUID PRIMARY KEY,
        erased_at TIMESTAMPTZ NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE directory_erasures`);
    await q.query(`DROP TABLE directory_claims`);
    await q.query(`DROP TABLE directory_contracts`);
    await q.query(`DROP TABLE directory_clients`);
  }
}
