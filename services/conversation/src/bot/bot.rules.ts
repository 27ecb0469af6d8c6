// Pure rules between the engine and the service: which rows a turn writes, and what the
// engine's outcomes become as events. Ids and clocks come in as arguments.
import { hasRole, STAFF, type Principal } from '@crm/auth';
import { type HandoffRequestedDataV1, type IntakeCompletedDataV2 } from '@crm/events';
import {
  type ClaimType,
  type ConversationContext as EngineContext,
  type ConversationMessage as EngineMessage,
  type HandoffRequested,
  type IntakeCompleted,
  type SeedContext,
  toSeedCollected,
} from '../engine';
import { type ChannelValue } from '../conversation/conversation.mapping';
import { roundConfidence, type NewMessage } from '../conversation/message.rules';

/**
 * Who may talk in a conversation the bot has (or has not yet) bound to a client: staff, its
 * chat visitor (the policy already holds him to his own conversation), and a policyholder unless
 * the conversation is bound to another client.
 */
export function mayTalkIn(principal: Principal, boundTo: string | null): boolean {
  if (hasRole(principal, ...STAFF, 'conversation')) return true;
  if (!hasRole(principal, 'client')) return false;
  return boundTo === null || boundTo.toLowerCase() === principal.sub.toLowerCase();
}

/** A stored context the engine can resume (conversations created by startConversation). */
export function isEngineContext(value: unknown): value is SeedContext {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SeedContext>;
  return (
    typeof v.conversation_id === 'string' &&
    Array.isArray(v.messages) &&
    typeof v.dialogue === 'object' &&
    v.dialogue !== null &&
    typeof v.phase_actuelle === 'string'
  );
}

/** The messages a turn added to the context, as historique_conversation rows. */
export function turnMessages(
  conversation: { id: string; claimId: string | null },
  context: EngineContext,
  before: number,
  newId: () => string,
): NewMessage[] {
  return context.messages.slice(before).map((m: EngineMessage) => ({
    id: newId(),
    claimId: conversation.claimId,
    conversationId: conversation.id,
    role: m.role,
    text: m.text,
    sttTranscript: null,
    sttConfidence: m.sttConfidence === undefined ? null : roundConfidence(m.sttConfidence),
    audioUrl: null,
    timestamp: new Date(m.timestamp),
    metadata: null,
    // numbered when written (ConversationRepository.allocateSequences)
    sequence: null,
    advisorId: null,
  }));
}

const GRAPH_CLAIM_TYPE: Record<ClaimType, IntakeCompletedDataV2['claim']['claimType']> = {
  collision: 'COLLISION',
  vol: 'THEFT',
  incendie: 'FIRE',
  degats: 'DAMAGE',
  blessure: 'INJURY',
};

/** Euros as the exact decimal string money travels as; null when it cannot be one. */
export function euros(amount: number | null): string | null {
  if (amount === null || !Number.isFinite(amount) || amount < 0 || amount >= 1e10) return null;
  return amount.toFixed(2);
}

/** The engine's transcript has no advisor: its roles as the IntakeCompleted event names them. */
const ENGINE_ROLE = { bot: 'BOT', user: 'USER', system: 'SYSTEM' } as const;

/** The IntakeCompleted event schema caps the transcript; the full one stays in the history. */
export const MAX_TRANSCRIPT = 500;

export function intakeCompletedData(outcome: IntakeCompleted, channel: ChannelValue): IntakeCompletedDataV2 {
  const c = outcome.claim;
  return {
    conversationId: outcome.conversationId,
    claimId: outcome.claimId,
    clientId: outcome.clientId,
    contractId: outcome.contractId,
    matricule: outcome.matricule,
    channel,
    claim: {
      claimType: GRAPH_CLAIM_TYPE[c.claimType],
      description: c.description,
      occurredOn: c.occurredOn,
      occurredAt: c.occurredAt,
      occurredAtLocal: c.occurredAtLocal,
      place: c.place,
      thirdPartyInvolved: c.thirdPartyInvolved,
      thirdPartyResponsible: c.thirdPartyResponsible,
      liabilityRule: c.liabilityRule,
      liabilityReason: c.liabilityLabel,
      injuries: c.injuries,
      amicableReport: c.amicableReport,
      policeReport: c.policeReport,
      policeReportNumber: c.policeReportNumber,
      documentsProvided: c.documentsProvided,
      estimatedDamage: euros(c.estimatedDamage),
    },
    facts: { ...outcome.facts },
    decision: {
      handling: outcome.decision.handling,
      cciScore: outcome.decision.cciScore,
      policyVersion: outcome.decision.policyVersion,
      factors: outcome.decision.factors.map((f) => ({ code: f.code, label: f.label, points: f.points })),
      triggers: outcome.decision.triggers.map((t) => ({ code: t.code, reason: t.reason })),
    },
    transcript: outcome.transcript.slice(-MAX_TRANSCRIPT).map((m) => ({
      role: ENGINE_ROLE[m.role],
      text: m.text,
      timestamp: m.timestamp,
      ...(m.sttConfidence === undefined ? {} : { sttConfidence: roundConfidence(m.sttConfidence) }),
    })),
    completedAt: outcome.completedAt,
  };
}

export function handoffRequestedData(outcome: HandoffRequested): HandoffRequestedDataV1 {
  return {
    conversationId: outcome.conversationId,
    claimId: outcome.claimId,
    clientId: outcome.clientId,
    reason: outcome.reason,
    phase: outcome.phase,
    collected: toSeedCollected(outcome.collected),
    requestedAt: outcome.requestedAt,
  };
}
