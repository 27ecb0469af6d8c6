import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A claim this service knows (sinistres_connus), as the claims service's ClaimOpened told it:
 * whose claim it is and under which contract. Written only by the consumer (claim.consumer.ts).
 */
@Entity({ name: 'sinistres_connus' })
export class KnownClaimEntity {
  @PrimaryColumn({ name: 'sinistre_id', type: 'uuid' })
  claimId!: string;

  /** the policyholder who declared it: the only client who reads its reimbursements */
  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  /** null when the bot found no contract that applies (ClaimOpened.contractId) */
  @Column({ name: 'contrat_id', type: 'uuid', nullable: true })
  contractId!: string | null;

  /** when the claims service opened it (the event's occurredAt) */
  @Column({ name: 'date_ouverture', type: 'timestamptz' })
  openedAt!: Date;

  /** the graph's ClaimType (COLLISION...); null for claims recorded before issue 19 */
  @Column({ name: 'type_sinistre', type: 'varchar', length: 60, nullable: true })
  claimType!: string | null;

  /** YYYY-MM-DD: the day of the event (ClaimOpened.occurredOn) */
  @Column({ name: 'date_sinistre', type: 'date', nullable: true })
  occurredOn!: string | null;

  @Column({ name: 'tiers_implique', type: 'boolean', nullable: true })
  thirdPartyInvolved!: boolean | null;

  @Column({ name: 'tiers_responsable', type: 'boolean', nullable: true })
  thirdPartyResponsible!: boolean | null;

  /** euros, the declared estimate: the amount the automatic proposal claims */
  @Column({ name: 'estimation_dommage', type: 'decimal', precision: 12, scale: 2, nullable: true })
  estimatedDamage!: string | null;

  /** the claim's status as its last ClaimStatusChanged (or ClaimOpened) said, graph value */
  @Column({ name: 'status_dossier', type: 'varchar', length: 30, nullable: true })
  status!: string | null;

  /** when that status was reached (the event's occurredAt): an older event never overwrites it */
  @Column({ name: 'date_statut', type: 'timestamptz', nullable: true })
  statusAt!: Date | null;

  /** ClaimOpened.channel: CHAT, VOICE (the bot's declarations), WEB, ADVISOR */
  @Column({ name: 'canal', type: 'varchar', length: 20, nullable: true })
  channel!: string | null;
}
