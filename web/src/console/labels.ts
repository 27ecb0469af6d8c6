// The console's words: every code the graph sends, as an advisor reads it.
import type {
  ActionPriority,
  ActionStatus,
  AdvisorStatus,
  ClaimStatus,
  ClaimType,
  ContractStatus,
  ContractType,
  ConversationOwner,
  EscalationOrigin,
  EscalationStatus,
  OwnershipCause,
  PaymentMethod,
  RecordableClaimActivityKind,
  ReimbursementStatus,
} from '../generated/graphql';

const REASONS: Record<string, string> = {
  INJURIES: 'Blessures déclarées',
  CCI_ABOVE_THRESHOLD: 'Indice de complexité élevé',
  THIRD_PARTY_RESPONSIBLE: 'Tiers responsable',
  CALL_REQUESTED: 'Demande de rappel',
  CLIENT_REQUEST: 'Le client demande un conseiller',
  NOT_UNDERSTOOD: 'L’assistant n’a pas compris',
  LOW_STT_CONFIDENCE: 'Transcription vocale peu fiable',
  AUTH_FAILED: 'Authentification échouée',
  AUTHENTICATION_FAILED: 'Authentification échouée',
  DELAY_EXCEEDED: 'Délai dépassé (plus de 5 jours sans avancée)',
  MISSING_DOCUMENTS: 'Documents manquants',
  ESCALATED: 'Sinistre escaladé',
  CASE_COMPLEXITY: 'Dossier complexe',
  USER_REQUEST: 'Demande du prospect',
};

/** A reason code in plain French (an unknown code reads as itself, lower case). */
export function reasonWords(code: string): string {
  return REASONS[code.toUpperCase()] ?? code.replace(/_/g, ' ').toLowerCase();
}

export const CLAIM_STATUS: Record<ClaimStatus, string> = {
  NEW: 'Nouveau',
  IN_PROGRESS: 'En cours',
  EXPERT_REVIEW: 'Expertise',
  VALIDATION: 'Validation',
  CLOSED: 'Fermé',
  ESCALATED: 'Escaladé',
  AWAITING_CLIENT: 'En attente du client',
};

export const CLAIM_TYPE: Record<ClaimType, string> = {
  COLLISION: 'Collision',
  THEFT: 'Vol',
  FIRE: 'Incendie',
  DAMAGE: 'Dégâts',
  INJURY: 'Blessure',
};

export const CONTRACT_TYPE: Record<ContractType, string> = {
  AUTO: 'Auto',
  HOME: 'Habitation',
  OTHER: 'Autre',
};

export const CONTRACT_STATUS: Record<ContractStatus, string> = {
  ACTIVE: 'Actif',
  SUSPENDED: 'Suspendu',
  TERMINATED: 'Résilié',
};

export const ESCALATION_STATUS: Record<EscalationStatus, string> = {
  WAITING: 'En attente',
  ASSIGNED: 'Affecté',
  IN_PROGRESS: 'En cours',
  RESOLVED: 'Résolu',
};

export const ORIGIN: Record<EscalationOrigin, string> = {
  CLAIM: 'Sinistre',
  CALL_REQUEST: 'Demande de rappel',
  CONVERSATION: 'Transfert de l’assistant',
};

export const ADVISOR_STATUS: Record<AdvisorStatus, string> = {
  AVAILABLE: 'Disponible',
  BUSY: 'Occupé',
  ON_BREAK: 'En pause',
};

export const ACTION_TYPE: Record<string, string> = {
  SEND_AMICABLE_REPORT: 'Envoyer le constat amiable',
  EXPERT_APPRAISAL: 'Demander une expertise',
  PAYMENT: 'Procéder au paiement',
  CLIENT_INFORMATION: 'Informer le client',
};

export const ACTION_STATUS: Record<ActionStatus, string> = {
  PENDING: 'À faire',
  IN_PROGRESS: 'En cours',
  DONE: 'Fait',
  IGNORED: 'Ignoré',
};

export const ACTION_PRIORITY: Record<ActionPriority, string> = {
  HIGH: 'Priorité haute',
  NORMAL: 'Priorité normale',
  LOW: 'Priorité basse',
};

export const REIMBURSEMENT_STATUS: Record<ReimbursementStatus, string> = {
  PENDING: 'En attente',
  ACCEPTED: 'Accepté',
  PAID: 'Payé',
  REJECTED: 'Refusé',
};

export const PAYMENT_METHOD: Record<PaymentMethod, string> = {
  BANK_TRANSFER: 'Virement',
  CHEQUE: 'Chèque',
};

export const RECORDABLE_ACTIVITY: Record<RecordableClaimActivityKind, string> = {
  DOCUMENTS_RECEIVED: 'Documents reçus',
  GARAGE_APPOINTMENT: 'Rendez-vous garage',
  LETTER_SENT: 'Courrier envoyé',
};

export const OWNER: Record<ConversationOwner, string> = {
  BOT: 'L’assistant répond au client',
  WAITING_FOR_ADVISOR: 'Le client attend un conseiller',
  ADVISOR: 'Un conseiller répond au client',
  CLOSED: 'Conversation close',
};

export const OWNERSHIP_CAUSE: Record<OwnershipCause, string> = {
  HANDOFF_REQUESTED: 'L’assistant a transféré le client',
  ADVISOR_ASSIGNED: 'Un conseiller a pris la conversation',
  ADVISOR_REASSIGNED: 'La conversation a été réaffectée',
  HANDED_BACK: 'La conversation a été rendue à l’assistant',
  CLOSED_BY_ADVISOR: 'Le conseiller a clos la conversation',
  ESCALATION_RESOLVED: 'Le dossier a été résolu',
};

/** The facts of a claim file the bot collects (data_collectee names, ConversationIntake.missingFacts). */
export const FILE_FACT: Record<string, string> = {
  type_sinistre: 'Type de sinistre',
  description: 'Description',
  date_sinistre: 'Date',
  lieu: 'Lieu',
  tiers_implique: 'Tiers impliqué',
  tiers_responsable: 'Responsabilité du tiers',
  blessures: 'Blessures',
  constat_amiable: 'Constat amiable',
  police_intervenue: 'Police ou plainte',
  numero_proces_verbal: 'Numéro de procès-verbal',
  documents_disponibles: 'Photos et documents',
  estimation_dommage: 'Estimation des dommages',
};

export const ACTOR_KIND: Record<string, string> = {
  advisor: 'conseiller',
  client: 'client',
  partner: 'partenaire',
  system: 'système',
};

export function yesNo(value: boolean | null | undefined): string {
  if (value == null) return 'Non renseigné';
  return value ? 'Oui' : 'Non';
}

const COVERAGES: Record<string, string> = {
  responsabilite_civile: 'Responsabilité civile',
  dommages_collision: 'Dommages collision',
  tous_risques: 'Tous risques',
  vol: 'Vol',
  incendie: 'Incendie',
  bris_de_glace: 'Bris de glace',
  assistance: 'Assistance',
  degats_des_eaux: 'Dégâts des eaux',
  catastrophes_naturelles: 'Catastrophes naturelles',
  protection_juridique: 'Protection juridique',
};

/** A coverage code (responsabilite_civile) as words (Responsabilité civile). */
export function coverageWords(code: string): string {
  const known = COVERAGES[code.toLowerCase()];
  if (known) return known;
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
