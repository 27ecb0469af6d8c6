import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Persistence shape of the seed's `actions_recommandees` row. */
@Entity({ name: 'actions_recommandees' })
export class RecommendedActionEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'sinistre_id', type: 'uuid', nullable: true })
  claimId!: string | null;

  /** French seed value ('envoyer_constat', 'expertise', 'paiement', 'info_client'). */
  @Column({ name: 'type_action', type: 'varchar', length: 50 })
  type!: string;

  @Column({ name: 'description', type: 'text', nullable: true })
  description!: string | null;

  /** French seed value ('haute', 'normale', 'basse'). */
  @Column({ name: 'priorite', type: 'varchar', length: 20, default: 'normale' })
  priority!: string;

  /** French seed value ('en_attente', 'en_cours', 'faite', 'ignorée'). */
  @Column({ name: 'statut', type: 'varchar', length: 20, default: 'en_attente' })
  status!: string;

  @Column({ name: 'date_creation', type: 'timestamp', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'date_execution', type: 'timestamp', nullable: true })
  executedAt!: Date | null;

  /** when it should be done (date_creation + 2 / 5 / 10 days by priority); null before issue 19 */
  @Column({ name: 'date_echeance', type: 'timestamp', nullable: true })
  dueAt!: Date | null;

  /** who last changed its status: advisor, or system (a rule, when the facts changed) */
  @Column({ name: 'statut_par_type', type: 'varchar', length: 20, nullable: true })
  statusChangedByKind!: string | null;

  @Column({ name: 'statut_par_id', type: 'varchar', length: 200, nullable: true })
  statusChangedById!: string | null;

  @Column({ name: 'date_statut', type: 'timestamp', nullable: true })
  statusChangedAt!: Date | null;

  /** why a rule closed it (French), e.g. « Constat reçu (n° C-123) » */
  @Column({ name: 'motif_statut', type: 'varchar', length: 255, nullable: true })
  statusReason!: string | null;

  /** when its overdue alert fired (once) */
  @Column({ name: 'alerte_retard_le', type: 'timestamp', nullable: true })
  overdueAlertedAt!: Date | null;
}
