import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a call request's entry shows the advisor (escalades.details), as the partner sent it. */
export interface CallRequestDetails {
  reason: string;
  /** the lead's name as the partner sent it (normalized by claims), for the advisor's first words */
  name?: string;
  userStage?: string;
  notes?: string;
  intent: string;
  siteId: string;
}

/**
 * One entry of the advisors' queue (`escalades`): an escalated claim, a lead's call request
 * on a partner case, or a bot conversation's transfer (at least one of claimId, caseId and
 * conversationId; never a claim and a case).
 */
@Entity({ name: 'escalades' })
export class EscalationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'sinistre_id', type: 'uuid', nullable: true })
  claimId!: string | null;

  @Column({ name: 'dossier_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ name: 'conversation_id', type: 'uuid', nullable: true })
  conversationId!: string | null;

  @Column({ name: 'lead_email', type: 'varchar', length: 254, nullable: true })
  leadEmail!: string | null;

  @Column({ name: 'lead_telephone', type: 'varchar', length: 20, nullable: true })
  leadPhone!: string | null;

  @Column({ name: 'rappel_avant', type: 'timestamp', nullable: true })
  callBackBy!: Date | null;

  @Column({ name: 'details', type: 'jsonb', nullable: true })
  details!: CallRequestDetails | null;

  /** the call-back the conversation offered (CallBackOffered): number to call, when there is one */
  @Column({ name: 'rappel_propose_telephone', type: 'varchar', length: 20, nullable: true })
  offeredCallBackPhone!: string | null;

  /** the deadline the client was given (set with callBackOfferedAt) */
  @Column({ name: 'rappel_propose_avant', type: 'timestamp', nullable: true })
  offeredCallBackBy!: Date | null;

  @Column({ name: 'rappel_propose_le', type: 'timestamp', nullable: true })
  callBackOfferedAt!: Date | null;

  @Column({ name: 'client_id', type: 'uuid', nullable: true })
  clientId!: string | null;

  @Column({ name: 'raisons', type: 'jsonb', default: () => `'[]'::jsonb` })
  reasons!: string[];

  @Column({ name: 'priorite', type: 'int', default: 0 })
  priority!: number;

  /** 'en_attente' | 'assignee' | 'en_cours' | 'resolue' */
  @Column({ name: 'statut', type: 'varchar', length: 20, default: 'en_attente' })
  status!: string;

  @Column({ name: 'conseiller_id', type: 'uuid', nullable: true })
  advisorId!: string | null;

  @Column({ name: 'date_creation', type: 'timestamp', default: () => 'NOW()' })
  queuedAt!: Date;

  @Column({ name: 'date_assignation', type: 'timestamp', nullable: true })
  assignedAt!: Date | null;

  @Column({ name: 'date_resolution', type: 'timestamp', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolution', type: 'text', nullable: true })
  resolution!: string | null;
}

/** Who held an entry, from when to when, and why (`affectations`). */
@Entity({ name: 'affectations' })
export class AssignmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'escalade_id', type: 'uuid' })
  escalationId!: string;

  @Column({ name: 'conseiller_id', type: 'uuid' })
  advisorId!: string;

  @Column({ name: 'date_debut', type: 'timestamp', default: () => 'NOW()' })
  startedAt!: Date;

  @Column({ name: 'date_fin', type: 'timestamp', nullable: true })
  endedAt!: Date | null;

  /** 'auto' | 'manuel' | 'reaffectation' */
  @Column({ name: 'motif', type: 'varchar', length: 20 })
  mode!: string;
}
