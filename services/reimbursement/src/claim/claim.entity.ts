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
}
