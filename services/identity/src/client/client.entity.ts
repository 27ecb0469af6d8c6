import { Column, Entity, PrimaryColumn } from 'typeorm';
import { clientStatusColumn, type ClientStatus } from './client.mapping';
import type { ClientState } from './client.rules';

/**
 * Seed table `clients` (assurés) as stored. French column names, English properties. Every
 * personal column holds a "pd1:" ciphertext under the client's own data key (@crm/privacy,
 * docs/privacy.md), or null; only ClientRepository reads and writes it.
 */
@Entity({ name: 'clients' })
export class ClientRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  matricule!: string;

  @Column({ name: 'civilite', type: 'text', nullable: true })
  civility!: string | null;

  @Column({ name: 'nom', type: 'text' })
  lastName!: string;

  @Column({ name: 'prenom', type: 'text' })
  firstName!: string;

  /** YYYY-MM-DD, encrypted */
  @Column({ name: 'date_naissance', type: 'text', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** E.164, encrypted */
  @Column({ name: 'telephone', type: 'text', nullable: true })
  phone!: string | null;

  @Column({ name: 'adresse', type: 'text', nullable: true })
  address!: string | null;

  @Column({ name: 'code_postal', type: 'text', nullable: true })
  postalCode!: string | null;

  @Column({ name: 'ville', type: 'text', nullable: true })
  city!: string | null;

  @Column({ name: 'date_creation', type: 'timestamp' })
  createdAt!: Date;

  @Column({ name: 'date_modification', type: 'timestamp' })
  updatedAt!: Date;

  @Column({ name: 'statut', type: 'varchar', length: 20, transformer: clientStatusColumn })
  status!: ClientStatus;

  /** keyed blind index of the matricule (lookups, uniqueness); null once erased */
  @Column({ name: 'matricule_bidx', type: 'varchar', length: 64, nullable: true })
  matriculeIndex!: string | null;

  /** keyed blind index of the e-mail; null without one or once erased */
  @Column({ name: 'email_bidx', type: 'varchar', length: 64, nullable: true })
  emailIndex!: string | null;
}

/** A client as the service reads it: decrypted by ClientRepository. */
export type ClientEntity = ClientState;
