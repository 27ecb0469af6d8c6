// The persistent conversation context (seed, "Conversation Manager Amélioré" > "Contexte
// Persistant"): sinistre_id, client_id, phase_actuelle, data_collectee, messages, with the
// seed's snake_case French keys so that the stored JSON reads like the seed. `dialogue` holds
// the engine's own bookkeeping (current question, failure counters, the directory profile).
import type { ClaimType } from './nlu/claim-type';
import type { DirectoryClient } from './directory';

/** Seed: ConversationPhase. */
export type Phase =
  'auth' | 'description' | 'sinistre_details' | 'constat' | 'documents' | 'decision' | 'transfert' | 'suivi';

/** The question the bot is waiting an answer to. */
export type Step =
  | 'ask_matricule'
  | 'awaiting_directory'
  | 'confirm_identity'
  | 'describe'
  | 'ask_date'
  | 'ask_place'
  | 'ask_third_party'
  | 'ask_third_party_responsible'
  | 'ask_injuries'
  | 'ask_constat'
  | 'ask_police'
  | 'ask_report_number'
  | 'ask_documents'
  | 'ask_amount'
  | 'confirm_recap'
  | 'ask_correction'
  | 'follow_up_more'
  | 'ended';

/** seed type_traitement */
export type DecisionLabel = 'autonome' | 'escalade' | 'expert';

/** seed data_collectee, extended with the `sinistres` columns the bot collects. */
export interface CollectedData {
  matricule?: string;
  civilite?: string;
  nom?: string;
  prenom?: string;
  contrat_id?: string;
  numero_contrat?: string;
  type_sinistre?: ClaimType;
  description?: string;
  /** Paris local time: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM". */
  date_sinistre?: string;
  lieu?: string;
  tiers_implique?: boolean;
  tiers_responsable?: boolean;
  blessures?: boolean;
  constat_amiable?: boolean;
  police_intervenue?: boolean;
  numero_proces_verbal?: string;
  documents_disponibles?: boolean;
  estimation_dommage?: number;
  cci_score?: number;
  decision?: DecisionLabel;
}

export interface ConversationMessage {
  role: 'bot' | 'user' | 'system';
  texte: string;
  /** ISO instant of the turn (the clock given to the engine). */
  timestamp: string;
  /** seed historique_conversation.confiance_stt, when the text came from speech. */
  confiance_stt?: number;
}

export type ConversationStatus = 'active' | 'awaiting_lookup' | 'completed' | 'transferred';

/** Optional questions the client declined ("je ne sais pas"), so they are not asked again. */
export type SkippableSlot = 'numero_proces_verbal' | 'estimation_dommage' | 'tiers_responsable';

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
}

export interface ConversationContext {
  conversation_id: string;
  sinistre_id: string | null;
  client_id: string | null;
  phase_actuelle: Phase;
  data_collectee: CollectedData;
  messages: ConversationMessage[];
  dialogue: DialogueState;
}
