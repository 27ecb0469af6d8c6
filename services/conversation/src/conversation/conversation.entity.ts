import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type ChannelValue, type PhaseValue, type StatusValue } from './conversation.values';

/** A bot conversation and its persistent context (the seed's "Contexte Persistant"). */
@Entity({ name: 'conversations' })
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** the claim (claims service) once it exists */
  @Column({ name: 'sinistre_id', type: 'uuid', nullable: true })
  claimId!: string | null;

  /** the client (identity service) once authenticated */
  @Column({ name: 'client_id', type: 'uuid', nullable: true })
  clientId!: string | null;

  @Column({ name: 'phase', type: 'varchar', length: 30 })
  phase!: PhaseValue;

  @Column({ name: 'status', type: 'varchar', length: 20 })
  status!: StatusValue;

  /** CHAT, VOICE or WEB: how the client talks to the bot (ClaimOpened.channel) */
  @Column({ name: 'channel', type: 'varchar', length: 10 })
  channel!: ChannelValue;

  /** the id the claim declared here will have, reserved when the conversation starts */
  @Column({ name: 'reserved_claim_id', type: 'uuid', nullable: true })
  reservedClaimId!: string | null;

  @Column({ name: 'context', type: 'jsonb' })
  context!: Record<string, unknown>;

  @Column({ name: 'date_creation', type: 'timestamp' })
  createdAt!: Date;

  @Column({ name: 'date_modification', type: 'timestamp' })
  updatedAt!: Date;

  /** optimistic concurrency: every write checks and bumps it */
  @Column({ name: 'version', type: 'int' })
  version!: number;
}
