import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type ChannelValue, type OwnerValue, type PhaseValue, type StatusValue } from './conversation.values';

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

  /** in clear once read; stored with its personal part sealed (ConversationCipher) */
  @Column({ name: 'context', type: 'jsonb' })
  context!: Record<string, unknown>;

  /**
   * the client the bot read back and awaits the confirmation of (the context's
   * dialogue.profile.clientId, sealed there): his erasure finds the conversation by it
   */
  @Column({ name: 'profil_client_id', type: 'uuid', nullable: true })
  profileClientId!: string | null;

  @Column({ name: 'date_creation', type: 'timestamp' })
  createdAt!: Date;

  @Column({ name: 'date_modification', type: 'timestamp' })
  updatedAt!: Date;

  /** who answers the client (bot, attente_conseiller, conseiller, cloture) */
  @Column({ name: 'proprietaire', type: 'varchar', length: 20 })
  owner!: OwnerValue;

  /** the advisor holding it (owner conseiller), from escalation's AdvisorAssigned */
  @Column({ name: 'conseiller_id', type: 'uuid', nullable: true })
  advisorId!: string | null;

  @Column({ name: 'conseiller_nom', type: 'varchar', length: 100, nullable: true })
  advisorName!: string | null;

  /** the queue entry about this conversation (escalation's EscalationQueued) */
  @Column({ name: 'escalade_id', type: 'uuid', nullable: true })
  escalationId!: string | null;

  /** when the client started waiting for an advisor (owner attente_conseiller) */
  @Column({ name: 'attente_depuis', type: 'timestamp', nullable: true })
  waitingSince!: Date | null;

  /** when the client was offered a call-back because nobody took the transfer in time */
  @Column({ name: 'rappel_propose_le', type: 'timestamp', nullable: true })
  callBackOfferedAt!: Date | null;

  /** the last sequence number given to a message or an ownership change (0 before any) */
  @Column({ name: 'dernier_seq', type: 'int' })
  lastSequence!: number;

  /** optimistic concurrency: every write checks and bumps it */
  @Column({ name: 'version', type: 'int' })
  version!: number;
}
