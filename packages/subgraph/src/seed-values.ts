// The seed's French spelling of the enumerations that a service's columns and the REST facade's
// bodies both speak (architecture-crm-production.md, its DDL's comments), keyed by the graph's
// English values: written once here. Each service checks its table against its own types where
// it maps its column (`satisfies Record<GraphValue, ColumnValue>`, enumMapping); the gateway's
// REST facade checks them against the supergraph (gateway/src/rest/values.spec.ts).

/** sinistres.status_dossier (« États du Dossier »). */
export const SEED_CLAIM_STATUS = {
  NEW: 'nouveau',
  IN_PROGRESS: 'en_cours',
  EXPERT_REVIEW: 'expert',
  VALIDATION: 'validation',
  CLOSED: 'fermé',
  ESCALATED: 'escalade',
  AWAITING_CLIENT: 'en_attente_client',
} as const;

/** sinistres.type_sinistre. */
export const SEED_CLAIM_TYPE = {
  COLLISION: 'collision',
  THEFT: 'vol',
  FIRE: 'incendie',
  DAMAGE: 'dégâts',
  INJURY: 'blessure',
} as const;

/** sinistres.type_traitement. */
export const SEED_CLAIM_HANDLING = {
  AUTONOMOUS: 'autonome',
  ESCALATED: 'escalade',
  EXPERT: 'expert',
} as const;

/** clients.statut; ERASED is the seed's DELETE /clients/:id (RGPD), an erasure that keeps the row. */
export const SEED_CLIENT_STATUS = {
  ACTIVE: 'actif',
  INACTIVE: 'inactif',
  ERASED: 'supprimé',
} as const;

/** historique_conversation.role. */
export const SEED_MESSAGE_ROLE = {
  BOT: 'bot',
  USER: 'user',
  SYSTEM: 'system',
  ADVISOR: 'advisor',
} as const;

/** remboursements.statut. */
export const SEED_REIMBURSEMENT_STATUS = {
  PENDING: 'en_attente',
  ACCEPTED: 'accepté',
  PAID: 'payé',
  REJECTED: 'rejeté',
} as const;

/** remboursements.moyen_paiement. */
export const SEED_PAYMENT_METHOD = {
  BANK_TRANSFER: 'virement',
  CHEQUE: 'chèque',
} as const;

/** escalades.statut. */
export const SEED_ESCALATION_STATUS = {
  WAITING: 'en_attente',
  ASSIGNED: 'assignee',
  IN_PROGRESS: 'en_cours',
  RESOLVED: 'resolue',
} as const;
