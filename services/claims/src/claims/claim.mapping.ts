// The one place where the seed's French database values meet the graph's English enums
// (docs/graph.md, glossary in the README). Each table is a complete Record, so adding
// a value on one side without the other fails to compile.
import type { ClaimType as CciClaimType } from '@crm/cci';
import { enumMapping, SEED_CLAIM_HANDLING, SEED_CLAIM_STATUS, SEED_CLAIM_TYPE } from '@crm/subgraph';

export type ClaimStatus =
  'NEW' | 'IN_PROGRESS' | 'EXPERT_REVIEW' | 'VALIDATION' | 'CLOSED' | 'ESCALATED' | 'AWAITING_CLIENT';
export type ClaimType = 'COLLISION' | 'THEFT' | 'FIRE' | 'DAMAGE' | 'INJURY';
export type ClaimHandling = 'AUTONOMOUS' | 'ESCALATED' | 'EXPERT';
export type ActionType = 'SEND_AMICABLE_REPORT' | 'EXPERT_APPRAISAL' | 'PAYMENT' | 'CLIENT_INFORMATION';
export type ActionPriority = 'HIGH' | 'NORMAL' | 'LOW';
export type ActionStatus = 'PENDING' | 'IN_PROGRESS' | 'DONE' | 'IGNORED';

/** status_dossier: the seed's seven states ("États du Dossier"). */
export const CLAIM_STATUS_DB = SEED_CLAIM_STATUS satisfies Record<ClaimStatus, string>;

/** type_sinistre. */
export const CLAIM_TYPE_DB = SEED_CLAIM_TYPE satisfies Record<ClaimType, string>;

/** @crm/cci spells 'dégâts' without accents (docs/cci.md, "Mapping notes"). */
export const CLAIM_TYPE_CCI = {
  COLLISION: 'collision',
  THEFT: 'vol',
  FIRE: 'incendie',
  DAMAGE: 'degats',
  INJURY: 'blessure',
} as const satisfies Record<ClaimType, CciClaimType>;

/** type_traitement. */
export const HANDLING_DB = SEED_CLAIM_HANDLING satisfies Record<ClaimHandling, string>;

/** actions_recommandees.type_action. */
export const ACTION_TYPE_DB = {
  SEND_AMICABLE_REPORT: 'envoyer_constat',
  EXPERT_APPRAISAL: 'expertise',
  PAYMENT: 'paiement',
  CLIENT_INFORMATION: 'info_client',
} as const satisfies Record<ActionType, string>;

/** actions_recommandees.priorite. */
export const ACTION_PRIORITY_DB = {
  HIGH: 'haute',
  NORMAL: 'normale',
  LOW: 'basse',
} as const satisfies Record<ActionPriority, string>;

/** actions_recommandees.statut. */
export const ACTION_STATUS_DB = {
  PENDING: 'en_attente',
  IN_PROGRESS: 'en_cours',
  DONE: 'faite',
  IGNORED: 'ignorée',
} as const satisfies Record<ActionStatus, string>;

function inverse<E extends string, F extends string>(
  table: Record<E, F>,
  column: string,
): (value: string) => E {
  // the CHECK constraints make an unknown value unreachable unless the database and code disagree
  return enumMapping(
    table,
    (value) => new Error(`${column}: unexpected database value ${JSON.stringify(value)}`),
  ).fromDb;
}

export const claimStatusFromDb = inverse(CLAIM_STATUS_DB, 'status_dossier');
export const claimTypeFromDb = inverse(CLAIM_TYPE_DB, 'type_sinistre');
export const handlingFromDb = inverse(HANDLING_DB, 'type_traitement');
export const actionTypeFromDb = inverse(ACTION_TYPE_DB, 'type_action');
export const actionPriorityFromDb = inverse(ACTION_PRIORITY_DB, 'priorite');
export const actionStatusFromDb = inverse(ACTION_STATUS_DB, 'statut');

export const CLAIM_STATUSES = Object.keys(CLAIM_STATUS_DB) as ClaimStatus[];
export const CLAIM_TYPES = Object.keys(CLAIM_TYPE_DB) as ClaimType[];
export const CLAIM_HANDLINGS = Object.keys(HANDLING_DB) as ClaimHandling[];
