import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CreateClientPins1763800001000 } from './1763800001000-CreateClientPins';
import type { KeyWrapper } from '@crm/privacy';
import { AuditLog1767000000000 } from './1767000000000-AuditLog';
import { PrivacyKeys1767100000000 } from './1767100000000-PrivacyKeys';
import { encryptClientsMigration } from './1767100001000-EncryptClients';
import { ErasureReceipts1767200000000 } from './1767200000000-ErasureReceipts';
import { encryptLeadsMigration } from './1767500000000-EncryptLeads';
import { LeadCases1767900000000 } from './1767900000000-LeadCases';
import { LeadErasures1767900002000 } from './1767900002000-LeadErasures';

/**
 * The seed's `clients` and `contrats` tables (architecture-crm-production.md) and seed 2's
 * `leads`. Every seed column, default and index is kept; the additions are CHECK constraints
 * for the enumerations and formats, and NOT NULL where the graph promises a value
 * (statut, dates of creation, contrats.client_id). See services/identity/README.md.
 */
export class CreateIdentitySchema1763800000000 implements MigrationInterface {
  name = 'CreateIdentitySchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clients (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        matricule VARCHAR(20) UNIQUE NOT NULL,
        civilite VARCHAR(10),
        nom VARCHAR(100) NOT NULL,
        prenom VARCHAR(100) NOT NULL,
        date_naissance DATE,
        email VARCHAR(100),
        telephone VARCHAR(20),
        adresse VARCHAR(255),
        code_postal VARCHAR(10),
        ville VARCHAR(100),
        date_creation TIMESTAMP NOT NULL DEFAULT NOW(),
        date_modification TIMESTAMP NOT NULL DEFAULT NOW(),
        statut VARCHAR(20) NOT NULL DEFAULT 'actif',
        CONSTRAINT clients_statut_check CHECK (statut IN ('actif', 'inactif', 'supprimé')),
        -- an erased client keeps a pseudonym in place of the matricule
        CONSTRAINT clients_matricule_format_check
          CHECK (statut = 'supprimé' OR matricule ~ '^[A-Z]{2}-[0-9]{3}-[A-Z]{2}$'),
        CONSTRAINT clients_telephone_e164_check CHECK (telephone ~ '^\\+[1-9][0-9]{6,14}$'),
        CONSTRAINT clients_email_lower_check CHECK (email = lower(btrim(email)))
      )`);
    await q.query(`CREATE INDEX idx_clients_matricule ON clients(matricule)`);
    // keyset pagination of clients(first, after): newest first
    await q.query(`CREATE INDEX idx_clients_date_creation ON clients(date_creation, id)`);

    await q.query(`
      CREATE TABLE contrats (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id UUID NOT NULL REFERENCES clients(id),
        numero_contrat VARCHAR(50) UNIQUE NOT NULL,
        type_contrat VARCHAR(50),
        date_souscription DATE,
        date_expiration DATE,
        statut VARCHAR(20),
        garanties JSONB,
        franchise_tiers DECIMAL(10,2),
        franchise_tiers_collision DECIMAL(10,2),
        couverture_dommage_materiel BOOLEAN,
        couverture_tiers BOOLEAN,
        couverture_rc_civile BOOLEAN,
        date_creation TIMESTAMP NOT NULL DEFAULT NOW(),
        CONSTRAINT contrats_type_contrat_check CHECK (type_contrat IN ('auto', 'habitation', 'autre')),
        CONSTRAINT contrats_statut_check CHECK (statut IN ('actif', 'suspendu', 'résilié')),
        CONSTRAINT contrats_garanties_array_check CHECK (jsonb_typeof(garanties) = 'array'),
        CONSTRAINT contrats_franchises_check CHECK (franchise_tiers >= 0 AND franchise_tiers_collision >= 0),
        CONSTRAINT contrats_dates_check CHECK (date_expiration >= date_souscription)
      )`);
    // Client.contracts is loaded by client id
    await q.query(`CREATE INDEX idx_contrats_client ON contrats(client_id)`);

    await q.query(`
      CREATE TABLE leads (
        email VARCHAR(200) PRIMARY KEY,
        phone VARCHAR(16),
        name VARCHAR(200),
        source VARCHAR(100) NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        -- when phone and name were given: out-of-order events merge the same way in any order
        phone_updated_at TIMESTAMPTZ,
        name_updated_at TIMESTAMPTZ,
        CONSTRAINT leads_email_lower_check CHECK (email = lower(btrim(email))),
        CONSTRAINT leads_phone_e164_check CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        CONSTRAINT leads_dates_check CHECK (updated_at >= created_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE leads`);
    await q.query(`DROP TABLE contrats`);
    await q.query(`DROP TABLE clients`);
  }
}

/** Every migration of this service, in order; encrypting the clients needs the master key's wrapper. */
export const identityMigrations = (wrapper: KeyWrapper) => [
  CreateIdentitySchema1763800000000,
  CreateClientPins1763800001000,
  AuditLog1767000000000,
  PrivacyKeys1767100000000,
  encryptClientsMigration(wrapper),
  ErasureReceipts1767200000000,
  encryptLeadsMigration(wrapper),
  LeadCases1767900000000,
  LeadErasures1767900002000,
];
