import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Projection of identity's clients: what the bot needs to authenticate and confirm. The
 * personal columns hold `pd1:` ciphertexts under the client's data key (docs/privacy.md): only
 * DirectoryRepository reads them, decrypted.
 */
@Entity({ name: 'directory_clients' })
export class DirectoryClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column({ name: 'matricule', type: 'text' })
  matricule!: string;

  /**
   * the keyed blind index of the matricule's key (upper case, letters and digits only: "ab
   * 123-cd" and "AB-123-CD" find the same client)
   */
  @Column({ name: 'matricule_key', type: 'varchar', length: 64 })
  matriculeKey!: string;

  @Column({ name: 'civility', type: 'text', nullable: true })
  civility!: string | null;

  @Column({ name: 'last_name', type: 'text' })
  lastName!: string;

  @Column({ name: 'first_name', type: 'text' })
  firstName!: string;

  /** E.164 (identity's normalized form): the number an advisor calls back */
  @Column({ name: 'phone', type: 'text', nullable: true })
  phone!: string | null;

  /** the seed's clients.statut values: actif, inactif */
  @Column({ name: 'status', type: 'varchar', length: 20 })
  status!: string;

  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Projection of identity's contracts. */
@Entity({ name: 'directory_contracts' })
export class DirectoryContractEntity {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid' })
  contractId!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column({ name: 'contract_number', type: 'varchar', length: 50 })
  contractNumber!: string;

  /** the seed's type_contrat values: auto, habitation, autre */
  @Column({ name: 'contract_type', type: 'varchar', length: 50 })
  contractType!: string;

  /** the seed's contrats.statut values: actif, suspendu, résilié */
  @Column({ name: 'status', type: 'varchar', length: 20 })
  status!: string;

  @Column({ name: 'subscribed_on', type: 'date' })
  subscribedOn!: string;

  @Column({ name: 'expires_on', type: 'date', nullable: true })
  expiresOn!: string | null;

  @Column({ name: 'coverages', type: 'jsonb' })
  coverages!: string[];

  @Column({ name: 'third_party_deductible', type: 'decimal', precision: 10, scale: 2, nullable: true })
  thirdPartyDeductible!: string | null;

  @Column({ name: 'collision_deductible', type: 'decimal', precision: 10, scale: 2, nullable: true })
  collisionDeductible!: string | null;

  @Column({ name: 'property_damage_cover', type: 'boolean', nullable: true })
  propertyDamageCover!: boolean | null;

  @Column({ name: 'third_party_cover', type: 'boolean', nullable: true })
  thirdPartyCover!: boolean | null;

  @Column({ name: 'civil_liability_cover', type: 'boolean', nullable: true })
  civilLiabilityCover!: boolean | null;

  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Projection of the claims service's claims (follow-up questions, prior-claims count). */
@Entity({ name: 'directory_claims' })
export class DirectoryClaimEntity {
  @PrimaryColumn({ name: 'claim_id', type: 'uuid' })
  claimId!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column({ name: 'claim_number', type: 'varchar', length: 50 })
  claimNumber!: string;

  /** the graph's ClaimType (COLLISION, THEFT, FIRE, DAMAGE, INJURY), as ClaimOpened carries it */
  @Column({ name: 'claim_type', type: 'varchar', length: 20 })
  claimType!: string;

  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn!: string;

  /** the graph's ClaimStatus (NEW, IN_PROGRESS...) */
  @Column({ name: 'status', type: 'varchar', length: 30 })
  status!: string;

  /** when the claims service archived it (ClaimArchived): the bot no longer names or counts it */
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'directory_erasures' })
export class DirectoryErasureEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column({ name: 'erased_at', type: 'timestamptz' })
  erasedAt!: Date;
}
