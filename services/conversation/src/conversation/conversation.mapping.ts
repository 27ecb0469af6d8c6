// The one place where the database's French values meet the graph's English enums, and where
// rows become the shapes the resolvers return.
import { enumMapping, SEED_MESSAGE_ROLE } from '@crm/subgraph';
import { type ConversationEntity } from './conversation.entity';
import { type MessageEntity } from './message.entity';
import {
  type ChannelValue,
  type OwnerValue,
  type PhaseValue,
  type RoleValue,
  type StatusValue,
} from './conversation.values';

export type { ChannelValue, OwnerValue, PhaseValue, RoleValue, StatusValue };

export type ConversationPhase =
  | 'AUTHENTICATION'
  | 'DESCRIPTION'
  | 'CLAIM_DETAILS'
  | 'AMICABLE_REPORT'
  | 'DOCUMENTS'
  | 'DECISION'
  | 'TRANSFER'
  | 'FOLLOW_UP';

const PHASE_TO_GRAPH: Record<PhaseValue, ConversationPhase> = {
  auth: 'AUTHENTICATION',
  description: 'DESCRIPTION',
  sinistre_details: 'CLAIM_DETAILS',
  constat: 'AMICABLE_REPORT',
  documents: 'DOCUMENTS',
  decision: 'DECISION',
  transfert: 'TRANSFER',
  suivi: 'FOLLOW_UP',
};

export const PHASE_VALUES = Object.keys(PHASE_TO_GRAPH) as PhaseValue[];

export const phaseToGraph = (value: PhaseValue): ConversationPhase => PHASE_TO_GRAPH[value];

export function phaseFromGraph(phase: ConversationPhase): PhaseValue {
  const found = PHASE_VALUES.find((v) => PHASE_TO_GRAPH[v] === phase);
  if (!found) throw new Error(`unknown conversation phase ${String(phase)}`);
  return found;
}

export const isPhaseValue = (value: unknown): value is PhaseValue =>
  typeof value === 'string' && (PHASE_VALUES as string[]).includes(value);

export type ConversationStatus = 'ACTIVE' | 'AWAITING_LOOKUP' | 'COMPLETED' | 'TRANSFERRED';

export function statusToGraph(value: StatusValue): ConversationStatus {
  switch (value) {
    case 'active':
      return 'ACTIVE';
    case 'awaiting_lookup':
      return 'AWAITING_LOOKUP';
    case 'completed':
      return 'COMPLETED';
    case 'transferred':
      return 'TRANSFERRED';
  }
}

export type MessageRole = 'BOT' | 'USER' | 'SYSTEM' | 'ADVISOR';

// the CHECK constraint makes an unknown value unreachable unless the database drifts
const role = enumMapping(
  SEED_MESSAGE_ROLE satisfies Record<MessageRole, RoleValue>,
  (value) => new Error(`unknown historique_conversation.role value: ${value}`),
);

export const roleToGraph = (value: RoleValue): MessageRole => role.fromDb(value);
export const roleFromGraph = (value: MessageRole): RoleValue => role.toDb(value);

/** Who answers the client, as the graph and the events name it. */
export type ConversationOwner = 'BOT' | 'WAITING_FOR_ADVISOR' | 'ADVISOR' | 'CLOSED';

const OWNER_TO_GRAPH: Record<OwnerValue, ConversationOwner> = {
  bot: 'BOT',
  attente_conseiller: 'WAITING_FOR_ADVISOR',
  conseiller: 'ADVISOR',
  cloture: 'CLOSED',
};

export const ownerToGraph = (value: OwnerValue): ConversationOwner => OWNER_TO_GRAPH[value];

export function ownerFromGraph(owner: ConversationOwner): OwnerValue {
  const found = (Object.keys(OWNER_TO_GRAPH) as OwnerValue[]).find((v) => OWNER_TO_GRAPH[v] === owner);
  if (!found) throw new Error(`unknown conversation owner ${String(owner)}`);
  return found;
}

export interface ConversationView {
  id: string;
  claimId: string | null;
  clientId: string | null;
  phase: ConversationPhase;
  status: ConversationStatus;
  channel: ChannelValue;
  context: Record<string, unknown>;
  startedAt: Date;
  updatedAt: Date;
  version: number;
  owner: ConversationOwner;
  advisorId: string | null;
  advisorName: string | null;
  escalationId: string | null;
  waitingSince: Date | null;
  lastSequence: number;
}

export const toConversationView = (row: ConversationEntity): ConversationView => ({
  id: row.id,
  claimId: row.claimId,
  clientId: row.clientId,
  phase: phaseToGraph(row.phase),
  status: statusToGraph(row.status),
  channel: row.channel,
  context: row.context,
  startedAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
  owner: ownerToGraph(row.owner),
  advisorId: row.advisorId,
  advisorName: row.advisorName,
  escalationId: row.escalationId,
  waitingSince: row.waitingSince,
  lastSequence: row.lastSequence,
});

export interface MessageView {
  id: string;
  claimId: string | null;
  conversationId: string | null;
  role: MessageRole;
  text: string | null;
  sttTranscript: string | null;
  sttConfidence: number | null;
  audioUrl: string | null;
  timestamp: Date;
  metadata: Record<string, unknown> | null;
  sequence: number | null;
  advisorId: string | null;
}

export const toMessageView = (row: MessageEntity): MessageView => ({
  id: row.id,
  claimId: row.claimId,
  conversationId: row.conversationId,
  role: roleToGraph(row.role),
  text: row.text,
  sttTranscript: row.sttTranscript,
  // a confidence is a ratio, not money: Float in the graph, two decimals in the column
  sttConfidence: row.sttConfidence === null ? null : Number(row.sttConfidence),
  audioUrl: row.audioUrl,
  timestamp: row.timestamp,
  metadata: row.metadata,
  sequence: row.sequence,
  advisorId: row.advisorId,
});

export interface ConversationIntakeView {
  cciScore: number;
  cciFactors: { code: string; label: string; points: number }[];
  completeness: number;
  missingFacts: string[];
  liabilityRule: string | null;
  liabilityReason: string | null;
  collected: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The claim file the bot keeps in the context (data_collectee: cci_score, cci_facteurs,
 * completude, faits_manquants, recomputed after each answer); null before a claim is described,
 * or for a context stored before the bot kept it.
 */
/** The bot context's key once its client was erased (ConversationRepository.eraseClient). */
export const ERASED_AT_KEY = 'efface_le';

/** The conversation was erased with its client: its context is only the erasure's date. */
export const wasErased = (context: Record<string, unknown>): boolean =>
  typeof context[ERASED_AT_KEY] === 'string';

export function intakeOfContext(context: Record<string, unknown>): ConversationIntakeView | null {
  const c = context.data_collectee;
  if (!isRecord(c) || typeof c.cci_score !== 'number' || typeof c.completude !== 'number') return null;
  const factors = Array.isArray(c.cci_facteurs) ? c.cci_facteurs.filter(isRecord) : [];
  return {
    cciScore: c.cci_score,
    cciFactors: factors.map((f) => ({
      code: String(f.code),
      label: String(f.label),
      points: Number(f.points),
    })),
    completeness: c.completude,
    missingFacts: Array.isArray(c.faits_manquants) ? c.faits_manquants.map(String) : [],
    liabilityRule: typeof c.responsabilite_regle === 'string' ? c.responsabilite_regle : null,
    liabilityReason: typeof c.responsabilite_motif === 'string' ? c.responsabilite_motif : null,
    collected: c,
  };
}
