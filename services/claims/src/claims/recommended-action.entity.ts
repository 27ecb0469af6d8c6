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
}
