// The engine's state of one conversation: the seed's "Contexte Persistant" (claim, client,
// phase, collected data, messages) under English names, plus `dialogue`, the engine's own
// bookkeeping (current question, failure counters, the directory profile). The seed's French
// keys exist only at the edge: seed-context.ts maps this state to the stored JSON and back.
import type { CciFactor } from '@crm/cci';
import type { ClaimType } from './nlu/claim-type';
import type { LiabilityRule } from './nlu/liability';
import type { DirectoryClient } from './directory';

/** Seed: ConversationPhase (values as stored in conversations.phase). */
export type Phase =
  'auth' | 'description' | 'sinistre_details' | 'constat' | 'documents' | 'decision' | 'transfert' | 'suivi';

/** The detail questions (seed: sinistre_details, constat, documents), in the order they are asked. */
export const SLOT_STEPS = [
  'ask_date',
  'ask_place',
  'ask_third_party',
  'ask_third_party_responsible',
  'ask_injuries',
  'ask_constat',
  'ask_police',
  'ask_report_number',
  'ask_documents',
  'ask_amount',
] as const;
export type SlotStep = (typeof SLOT_STEPS)[number];

/** The question the bot is waiting an answer to. */
export type Step =
  | 'ask_matricule'
  | 'awaiting_directory'
  /** the personal code, before anything is read back (a client with a code, or an unknown matricule) */
  | 'ask_pin'
  | 'confirm_identity'
  | 'describe'
  | SlotStep
  | 'confirm_recap'
  | 'ask_correction'
  | 'follow_up_more'
  | 'ended';

/** A detail question (the handling every one of them shares). */
export const isSlotStep = (step: Step): step is SlotStep => (SLOT_STEPS as readonly string[]).includes(step);

/** seed type_traitement */
export type DecisionLabel = 'autonome' | 'escalade' | 'expert';

/** The facts of a claim file, by their collected name (progress.ts counts them). */
export type FileFact =
  | 'claimType'
  | 'description'
  | 'occurredLocal'
  | 'location'
  | 'thirdPartyInvolved'
  | 'thirdPartyResponsible'
  | 'injuries'
  | 'amicableReport'
  | 'policeReport'
  | 'policeReportNumber'
  | 'documentsProvided'
  | 'estimatedDamage';

/** seed data_collectee, extended with the `sinistres` columns the bot collects. */
export interface CollectedData {
  matricule?: string;
  civility?: string;
  lastName?: string;
  firstName?: string;
  contractId?: string;
  contractNumber?: string;
  claimType?: ClaimType;
  description?: string;
  /** Paris local time: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM". */
  occurredLocal?: string;
  /** The place as said ("rue de la République à Lyon"), then the parts found in it. */
  location?: string;
  locationCity?: string;
  /** A street, square, road or motorway: "12 rue Victor Hugo", "A7". */
  locationRoad?: string;
  /** A named place: "parking du Carrefour de Villeurbanne". */
  locationLandmark?: string;
  thirdPartyInvolved?: boolean;
  thirdPartyResponsible?: boolean;
  /** The convention case that decided thirdPartyResponsible (or INDETERMINEE), and its French label. */
  liabilityRule?: LiabilityRule;
  liabilityLabel?: string;
  injuries?: boolean;
  amicableReport?: boolean;
  policeReport?: boolean;
  policeReportNumber?: string;
  documentsProvided?: boolean;
  /** EUR, as estimated by the client. */
  estimatedDamage?: number;
  /** The CCI of the facts collected so far, recomputed after each answer (progress.ts). */
  cciScore?: number;
  /** The factors of cciScore (the policy's codes, French labels and points). */
  cciFactors?: CciFactor[];
  /** 0-100: the share of the facts this claim needs that are settled (progress.ts). */
  completeness?: number;
  /** The facts still to collect, in the order the bot asks them. */
  missingFacts?: FileFact[];
  decision?: DecisionLabel;
}

export interface ConversationMessage {
  role: 'bot' | 'user' | 'system';
  text: string;
  /** ISO instant of the turn (the clock given to the engine). */
  timestamp: string;
  /** seed historique_conversation.confiance_stt, when the text came from speech. */
  sttConfidence?: number;
}

export type ConversationStatus = 'active' | 'awaiting_lookup' | 'completed' | 'transferred';

/** Optional questions the client declined ("je ne sais pas"), so they are not asked again. */
export type SkippableSlot = 'policeReportNumber' | 'estimatedDamage' | 'thirdPartyResponsible';

export interface DialogueState {
  step: Step;
  status: ConversationStatus;
  /** Consecutive turns not understood (or heard with a low STT confidence). */
  failures: number;
  /** Unknown matricules and denied identities, counted together and worded alike. */
  authFailures: number;
  /** What the client came for, when said before authentication. */
  intent: 'declare' | 'follow_up' | null;
  /** The authenticated client's directory record (from the service's local projection). */
  profile: DirectoryClient | null;
  skipped: SkippableSlot[];
  /** The claim id the caller reserved for this conversation's intake. */
  reservedClaimId: string;
  /** Where a transfer to an advisor interrupted the dialogue: the bot resumes there when handed back. */
  resumeAt?: { step: Step; phase: Phase };
}

export interface ConversationContext {
  conversationId: string;
  /** The claim being declared (seed sinistre_id): null until a description starts one. */
  claimId: string | null;
  clientId: string | null;
  phase: Phase;
  collected: CollectedData;
  messages: ConversationMessage[];
  dialogue: DialogueState;
}
