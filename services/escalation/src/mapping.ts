// The seed's French enumeration values (database, CHECK constraints) and the graph's English
// ones (docs/graph.md) meet here and nowhere else.
import { enumMapping } from '@crm/subgraph';
import { type CallRequestDetails } from './escalation/escalation.entity';
import { escalationError } from './errors';

export type AdvisorStatus = 'AVAILABLE' | 'BUSY' | 'ON_BREAK';
export type StatutConseiller = 'disponible' | 'occupe' | 'pause';
export type EscalationStatus = 'WAITING' | 'ASSIGNED' | 'IN_PROGRESS' | 'RESOLVED';
export type StatutEscalade = 'en_attente' | 'assignee' | 'en_cours' | 'resolue';
export type AssignmentMode = 'AUTO' | 'MANUAL' | 'REASSIGNMENT';
export type MotifAffectation = 'auto' | 'manuel' | 'reaffectation';

const ADVISOR_STATUS: Record<AdvisorStatus, StatutConseiller> = {
  AVAILABLE: 'disponible',
  BUSY: 'occupe',
  ON_BREAK: 'pause',
};
const ESCALATION_STATUS: Record<EscalationStatus, StatutEscalade> = {
  WAITING: 'en_attente',
  ASSIGNED: 'assignee',
  IN_PROGRESS: 'en_cours',
  RESOLVED: 'resolue',
};
const ASSIGNMENT_MODE: Record<AssignmentMode, MotifAffectation> = {
  AUTO: 'auto',
  MANUAL: 'manuel',
  REASSIGNMENT: 'reaffectation',
};

/** A value outside a table: only a table edited by hand gets there (CHECK constraints). */
const corrupt = (column: string) => (value: string) =>
  escalationError('ESCALATION.CORRUPT_ROW', `unknown ${column} "${value}"`);

export const advisorStatus = enumMapping(ADVISOR_STATUS, corrupt('conseillers.statut'));
export const escalationStatus = enumMapping(ESCALATION_STATUS, corrupt('escalades.statut'));
export const assignmentMode = enumMapping(ASSIGNMENT_MODE, corrupt('affectations.motif'));

/** Rows in the graph's vocabulary: what resolvers return and rules read. */
export interface AdvisorView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  status: AdvisorStatus;
  specialty: string | null;
  activeClaims: number;
  capacity: number;
  createdAt: Date;
}

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

type WithStatus<T, S extends string = 'status'> = Omit<T, S> & Record<S, string>;

export const toAdvisorView = (row: WithStatus<AdvisorView>): AdvisorView => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  status: advisorStatus.fromDb(row.status),
  specialty: row.specialty,
  activeClaims: row.activeClaims,
  capacity: row.capacity,
  createdAt: row.createdAt,
});

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
