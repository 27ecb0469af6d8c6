// The seed's French enumeration values (database, CHECK constraints) and the graph's English
// ones (docs/graph.md) meet here and in advisor.mapping.ts, nowhere else.
import { enumMapping, SEED_ESCALATION_STATUS } from '@crm/subgraph';
import { corrupt, type WithStatus } from '../shared/mapping';
import { type CallRequestDetails } from './escalation.entity';

export type EscalationStatus = 'WAITING' | 'ASSIGNED' | 'IN_PROGRESS' | 'RESOLVED';
export type StatutEscalade = 'en_attente' | 'assignee' | 'en_cours' | 'resolue';
export type AssignmentMode = 'AUTO' | 'MANUAL' | 'REASSIGNMENT';
export type MotifAffectation = 'auto' | 'manuel' | 'reaffectation';

const ESCALATION_STATUS = SEED_ESCALATION_STATUS satisfies Record<EscalationStatus, StatutEscalade>;
const ASSIGNMENT_MODE: Record<AssignmentMode, MotifAffectation> = {
  AUTO: 'auto',
  MANUAL: 'manuel',
  REASSIGNMENT: 'reaffectation',
};

export const escalationStatus = enumMapping(ESCALATION_STATUS, corrupt('escalades.statut'));
export const assignmentMode = enumMapping(ASSIGNMENT_MODE, corrupt('affectations.motif'));

/** Rows in the graph's vocabulary: what resolvers return and rules read. */
export interface EscalationView {
  id: string;
  /**
   * what the entry is about: an escalated claim, a lead's call request (caseId) or a bot
   * conversation's transfer (conversationId); never a claim and a case
   */
  claimId: string | null;
  caseId: string | null;
  conversationId: string | null;
  clientId: string | null;
  /** a call request's lead (lower-case e-mail), number to call, deadline and request */
  leadEmail: string | null;
  leadPhone: string | null;
  callBackBy: Date | null;
  details: CallRequestDetails | null;
  /** the call-back the conversation offered when nobody took the transfer in time (all null: none) */
  offeredCallBackPhone: string | null;
  offeredCallBackBy: Date | null;
  callBackOfferedAt: Date | null;
  reasons: string[];
  priority: number;
  status: EscalationStatus;
  advisorId: string | null;
  queuedAt: Date;
  assignedAt: Date | null;
  resolvedAt: Date | null;
  resolution: string | null;
}

export interface AssignmentView {
  id: string;
  escalationId: string;
  advisorId: string;
  startedAt: Date;
  endedAt: Date | null;
  mode: AssignmentMode;
}

export const toEscalationView = (row: WithStatus<EscalationView>): EscalationView => ({
  id: row.id,
  claimId: row.claimId,
  caseId: row.caseId,
  conversationId: row.conversationId,
  clientId: row.clientId,
  leadEmail: row.leadEmail,
  leadPhone: row.leadPhone,
  callBackBy: row.callBackBy,
  details: row.details,
  offeredCallBackPhone: row.offeredCallBackPhone,
  offeredCallBackBy: row.offeredCallBackBy,
  callBackOfferedAt: row.callBackOfferedAt,
  reasons: row.reasons,
  priority: row.priority,
  status: escalationStatus.fromDb(row.status),
  advisorId: row.advisorId,
  queuedAt: row.queuedAt,
  assignedAt: row.assignedAt,
  resolvedAt: row.resolvedAt,
  resolution: row.resolution,
});

export const toAssignmentView = (row: WithStatus<AssignmentView, 'mode'>): AssignmentView => ({
  id: row.id,
  escalationId: row.escalationId,
  advisorId: row.advisorId,
  startedAt: row.startedAt,
  endedAt: row.endedAt,
  mode: assignmentMode.fromDb(row.mode),
});
