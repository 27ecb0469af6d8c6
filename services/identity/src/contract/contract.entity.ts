import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  contractStatusColumn,
  contractTypeColumn,
  type ContractStatus,
  type ContractType,
} from './contract.mapping';

/** Seed table `contrats` (polices d'assurance). */
@Entity({ name: 'contrats' })
export class ContractEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column({ name: 'numero_contrat', type: 'varchar', length: 50 })
  contractNumber!: string;

  @Column({
    name: 'type_contrat',
    type: 'varchar',
    length: 50,
    nullable: true,
    transformer: contractTypeColumn,
  })
  type!: ContractType | null;

  /** YYYY-MM-DD */
  @Column({ name: 'date_souscription', type: 'date', nullable: true })
  subscribedOn!: string | null;

  /** YYYY-MM-DD */
  @Column({ name: 'date_expiration', type: 'date', nullable: true })
  expiresOn!: string | null;

  @Column({ name: 'statut', type: 'varchar', length: 20, nullable: true, transformer: contractStatusColumn })
  status!: ContractStatus | null;

  /** the active coverages (seed: "Liste des garanties actives"), a JSON array of strings */
  @Column({ name: 'garanties', type: 'jsonb', nullable: true })
  coverages!: string[] | null;

  /** euros, DECIMAL(10,2) kept as a string */
  @Column({ name: 'franchise_tiers', type: 'decimal', precision: 10, scale: 2, nullable: true })
  thirdPartyDeductible!: string | null;

  @Column({ name: 'franchise_tiers_collision', type: 'decimal', precision: 10, scale: 2, nullable: true })
  collisionDeductible!: string | null;

  @Column({ name: 'couverture_dommage_materiel', type: 'boolean', nullable: true })
  propertyDamageCover!: boolean | null;

  @Column({ name: 'couverture_tiers', type: 'boolean', nullable: true })
  thirdPartyCover!: boolean | null;

  @Column({ name: 'couverture_rc_civile', type: 'boolean', nullable: true })
  civilLiabilityCover!: boolean | null;

  @Column({ name: 'date_creation', type: 'timestamp' })
  createdAt!: Date;
}
