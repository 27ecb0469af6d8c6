// What a conversation produces for the rest of the system. The conversation service publishes
// IntakeCompleted (the claims service opens and scores the claim from it) and HandoffRequested
// (the live chat goes to an advisor). Both carry everything collected, so nothing said is lost.
import type { CciFactor, ClaimFacts, EscalationTrigger, Handling } from '@crm/cci';
import type { CollectedData, ConversationMessage, Phase } from './context';
import type { ClaimType } from './nlu/claim-type';
import type { LiabilityRule } from './nlu/liability';

export interface IntakeClaim {
  claimType: ClaimType;
  /** The client's own words (all description turns). */
  description: string;
  /** Paris calendar date of the event, "YYYY-MM-DD". */
  occurredOn: string;
  /** Paris local date-time "YYYY-MM-DDTHH:MM" when the client gave a time, else null. */
  occurredAtLocal: string | null;
  /** The same instant in UTC (ISO 8601), when the client gave a time, else null. */
  occurredAt: string | null;
  place: string | null;
  thirdPartyInvolved: boolean | null;
  thirdPartyResponsible: boolean | null;
  /** The case that decided thirdPartyResponsible (or INDETERMINEE), and its French label. */
  liabilityRule: LiabilityRule | null;
  liabilityLabel: string | null;
  injuries: boolean | null;
  amicableReport: boolean | null;
  policeReport: boolean | null;
  policeReportNumber: string | null;
  documentsProvided: boolean | null;
  /** EUR, as estimated by the client. */
  estimatedDamage: number | null;
}

export interface IntakeDecision {
  handling: Handling;
  cciScore: number;
  policyVersion: string;
  factors: CciFactor[];
  triggers: EscalationTrigger[];
}

/** The declaration is complete and decided (published as the IntakeCompleted event). */
export interface IntakeCompleted {
  type: 'IntakeCompleted';
  conversationId: string;
  claimId: string;
  clientId: string;
  contractId: string | null;
  matricule: string;
  claim: IntakeClaim;
  /** Exactly what the CCI policy was given, so the claims service can re-score identically. */
  facts: ClaimFacts;
  decision: IntakeDecision;
  transcript: ConversationMessage[];
  completedAt: string;
}

export type HandoffReason =
  'CLIENT_REQUEST' | 'NOT_UNDERSTOOD' | 'LOW_STT_CONFIDENCE' | 'AUTHENTICATION_FAILED' | 'ESCALATED';

/** The client must be transferred to an advisor now (published as HandoffRequested). */
export interface HandoffRequested {
  type: 'HandoffRequested';
  conversationId: string;
  /** The claim being declared, when the intake had started; null before. */
  claimId: string | null;
  /** Null when the client could not be authenticated. */
  clientId: string | null;
  reason: HandoffReason;
  /** The phase the conversation was in when the transfer was decided. */
  phase: Phase;
  collected: CollectedData;
  transcript: ConversationMessage[];
  requestedAt: string;
}

export type EngineOutcome = IntakeCompleted | HandoffRequested;
