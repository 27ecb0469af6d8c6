import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type RoleValue } from './conversation.values';

/** One row of the seed's historique_conversation. */
@Entity({ name: 'historique_conversation' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'sinistre_id', type: 'uuid', nullable: true })
  claimId!: string | null;

  /** null for a message posted directly on a claim (POST /sinistres/:id/conversation) */
  @Column({ name: 'conversation_id', type: 'uuid', nullable: true })
  conversationId!: string | null;

  @Column({ name: 'role', type: 'varchar', length: 20 })
  role!: RoleValue;

  @Column({ name: 'texte', type: 'text', nullable: true })
  text!: string | null;

  @Column({ name: 'texte_stt', type: 'varchar', length: 500, nullable: true })
  sttTranscript!: string | null;

  /** DECIMAL(3,2) comes back from pg as a string ("0.87") */
  @Column({ name: 'confiance_stt', type: 'decimal', precision: 3, scale: 2, nullable: true })
  sttConfidence!: string | null;

  @Column({ name: 'audio_url', type: 'varchar', length: 255, nullable: true })
  audioUrl!: string | null;

  @Column({ name: 'timestamp', type: 'timestamp' })
  timestamp!: Date;

  @Column({ name: 'metadata', type: 'jsonb', nullable: true })
  metadata!: Record<string, unknown> | null;

  /** role advisor: who wrote it */
  @Column({ name: 'conseiller_id', type: 'uuid', nullable: true })
  advisorId!: string | null;

  /** its place in its conversation (shared with the ownership changes); null on a claim only */
  @Column({ name: 'sequence', type: 'int', nullable: true })
  sequence!: number | null;

  /** insertion order, the tie-breaker between messages of the same instant */
  @Column({ name: 'seq', type: 'bigint', insert: false, update: false })
  seq!: string;
}
