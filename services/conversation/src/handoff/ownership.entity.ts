import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type OwnerValue } from '../conversation/conversation.values';

/** One change of who answers the client (conversation_proprietaires), in the conversation's sequence. */
@Entity({ name: 'conversation_proprietaires' })
export class OwnershipChangeEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId!: string;

  @Column({ name: 'sequence', type: 'int' })
  sequence!: number;

  @Column({ name: 'de', type: 'varchar', length: 20 })
  from!: OwnerValue;

  @Column({ name: 'vers', type: 'varchar', length: 20 })
  to!: OwnerValue;

  @Column({ name: 'cause', type: 'varchar', length: 30 })
  cause!: string;

  /**
   * As stored, sealed under the conversation's key (ConversationCipher.sealOwnershipReason: the
   * resolution is an advisor's words about the client); HandoffRepository's reads open it.
   */
  @Column({ name: 'raison', type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'conseiller_id', type: 'uuid', nullable: true })
  advisorId!: string | null;

  @Column({ name: 'conseiller_nom', type: 'varchar', length: 100, nullable: true })
  advisorName!: string | null;

  @Column({ name: 'escalade_id', type: 'uuid', nullable: true })
  escalationId!: string | null;

  @Column({ name: 'date', type: 'timestamp' })
  at!: Date;
}
