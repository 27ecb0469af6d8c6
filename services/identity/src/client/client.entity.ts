import { Column, Entity, PrimaryColumn } from 'typeorm';
import { clientStatusColumn, type ClientStatus } from './client.mapping';

/** Seed table `clients` (assurés). French column names, English properties. */
@Entity({ name: 'clients' })
export class ClientEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  matricule!: string;

  @Column({ name: 'civilite', type: 'varchar', length: 10, nullable: true })
  civility!: string | null;

  @Column({ name: 'nom', type: 'varchar', length: 100 })
  lastName!: string;

  @Column({ name: 'prenom', type: 'varchar', length: 100 })
  firstName!: string;

  /** YYYY-MM-DD */
  @Column({ name: 'date_naissance', type: 'date', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  email!: string | null;

  /** E.164 */
  @Column({ name: 'telephone', type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  @Column({ name: 'adresse', type: 'varchar', length: 255, nullable: true })
  address!: string | null;

  @Column({ name: 'code_postal', type: 'varchar', length: 10, nullable: true })
  postalCode!: string | null;

  @Column({ name: 'ville', type: 'varchar', length: 100, nullable: true })
  city!: string | null;

  @Column({ name: 'date_creation', type: 'timestamp' })
  createdAt!: Date;

  @Column({ name: 'date_modification', type: 'timestamp' })
  updatedAt!: Date;

  @Column({ name: 'statut', type: 'varchar', length: 20, transformer: clientStatusColumn })
  status!: ClientStatus;
}
