import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A contract this service knows (contrats_connus), as identity's ContractIssued told it: what a
 * reimbursement's assessment reads (assessment.rules.ts). Written only by contract.consumer.ts.
 */
@Entity({ name: 'contrats_connus' })
export class KnownContractEntity {
  @PrimaryColumn({ name: 'contrat_id', type: 'uuid' })
  contractId!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  /** seed values: actif, suspendu, résilié */
  @Column({ name: 'statut', type: 'varchar', length: 20 })
  status!: string;

  /** YYYY-MM-DD */
  @Column({ name: 'date_souscription', type: 'date' })
  subscribedOn!: string;

  /** YYYY-MM-DD */
  @Column({ name: 'date_expiration', type: 'date', nullable: true })
  expiresOn!: string | null;

  @Column({ name: 'garanties', type: 'jsonb' })
  coverages!: string[];

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

  /** ContractIssued.issuedAt */
  @Column({ name: 'date_emission', type: 'timestamptz' })
  issuedAt!: Date;
}
