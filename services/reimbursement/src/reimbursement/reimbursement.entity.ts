import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RecordedAssessment, RecordedOverride } from './assessment.rules';

/** Persistence shape of the seed's `remboursements` (French values; see reimbursement.mapping.ts). */
@Entity({ name: 'remboursements' })
export class ReimbursementEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('idx_remboursement_sinistre')
  @Column({ name: 'sinistre_id', type: 'uuid' })
  claimId!: string;

  // DECIMAL comes back from pg as a string; it stays one (exact money)
  @Column({ name: 'montant_reclame', type: 'decimal', precision: 12, scale: 2, nullable: true })
  amountClaimed!: string | null;

  @Column({ name: 'montant_accepte', type: 'decimal', precision: 12, scale: 2, nullable: true })
  amountAccepted!: string | null;

  @Column({ name: 'franchise_appliquee', type: 'decimal', precision: 12, scale: 2, nullable: true })
  deductibleApplied!: string | null;

  @Column({ name: 'motif_rejet', type: 'varchar', length: 255, nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'date_acceptation', type: 'timestamp', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'date_paiement', type: 'timestamp', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'moyen_paiement', type: 'varchar', length: 50, nullable: true })
  paymentMethod!: string | null;

  @Column({ name: 'statut', type: 'varchar', length: 30, default: 'en_attente' })
  status!: string;

  @Column({ name: 'date_creation', type: 'timestamp', default: () => 'NOW()' })
  createdAt!: Date;

  /** when it last changed: the version expectedUpdatedAt checks (migration 1765000000000) */
  @Column({ name: 'date_modification', type: 'timestamp', default: () => 'NOW()' })
  updatedAt!: Date;

  /** what the contract said when it was requested (assessment.rules.ts); null before issue 19 */
  @Column({ name: 'evaluation', type: 'jsonb', nullable: true })
  assessment!: RecordedAssessment | null;

  /** the advisor's departure from the assessment, with his reason */
  @Column({ name: 'derogation', type: 'jsonb', nullable: true })
  override!: RecordedOverride | null;

  /** conseiller (createReimbursement) or automatique (the proposal made from the contract) */
  @Column({ name: 'origine', type: 'varchar', length: 20, default: 'conseiller' })
  origin!: string;
}
