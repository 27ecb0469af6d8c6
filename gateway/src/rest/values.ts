// The seed's French values (architecture-crm-production.md, its DDL's comments) and the graph's
// English enum values, for the REST facade's bodies and answers. The services keep the same
// tables for their columns (services/claims/src/claims/claim.mapping.ts, identity's
// client.mapping.ts, reimbursement's and escalation's *.mapping.ts); the gateway may not import
// a service, so the small tables are repeated here, each a complete Record over the graph's
// values (a value added to the graph without its French spelling fails to compile where the
// generated types are used) and checked against the supergraph by values.spec.ts.
/** One enumeration: the graph's values and the seed's, both ways. */
export interface SeedValues<E extends string, F extends string> {
  /** the graph's enum type */
  readonly graphEnum: string;
  readonly graph: readonly E[];
  /** the seed's values, in the same order (what the REST schemas accept and answer) */
  readonly french: readonly [F, ...F[]];
  /** the seed's spelling of a value the graph answered; throws on a value outside the table */
  toFrench(value: string): F;
  toGraph(value: F): E;
}

function table<E extends string, F extends string>(
  graphEnum: string,
  values: Readonly<Record<E, F>>,
): SeedValues<E, F> {
  const entries = Object.entries(values) as [E, F][];
  const back = new Map<string, E>(entries.map(([g, f]) => [f, g]));
  return {
    graphEnum,
    graph: entries.map(([g]) => g),
    french: entries.map(([, f]) => f) as [F, ...F[]],
    toFrench(value) {
      const french = (values as Record<string, F | undefined>)[value];
      if (french === undefined)
        throw new Error(`${graphEnum}: the graph answered an unexpected value ${JSON.stringify(value)}`);
      return french;
    },
    toGraph(value) {
      const graph = back.get(value);
      if (graph === undefined) throw new Error(`${graphEnum}: no graph value for ${JSON.stringify(value)}`);
      return graph;
    },
  };
}

/** sinistres.status_dossier (« États du Dossier »). */
export const CLAIM_STATUS = table('ClaimStatus', {
  NEW: 'nouveau',
  IN_PROGRESS: 'en_cours',
  EXPERT_REVIEW: 'expert',
  VALIDATION: 'validation',
  CLOSED: 'fermé',
  ESCALATED: 'escalade',
  AWAITING_CLIENT: 'en_attente_client',
});

/** sinistres.type_sinistre. */
export const CLAIM_TYPE = table('ClaimType', {
  COLLISION: 'collision',
  THEFT: 'vol',
  FIRE: 'incendie',
  DAMAGE: 'dégâts',
  INJURY: 'blessure',
});

/** sinistres.type_traitement. */
export const CLAIM_HANDLING = table('ClaimHandling', {
  AUTONOMOUS: 'autonome',
  ESCALATED: 'escalade',
  EXPERT: 'expert',
});

/** clients.statut; ERASED is the seed's DELETE /clients/:id (RGPD). */
export const CLIENT_STATUS = table('ClientStatus', {
  ACTIVE: 'actif',
  INACTIVE: 'inactif',
  ERASED: 'supprimé',
});

/** historique_conversation.role. */
export const MESSAGE_ROLE = table('MessageRole', {
  BOT: 'bot',
  USER: 'user',
  SYSTEM: 'system',
  ADVISOR: 'advisor',
});

/** remboursements.statut. */
export const REIMBURSEMENT_STATUS = table('ReimbursementStatus', {
  PENDING: 'en_attente',
  ACCEPTED: 'accepté',
  PAID: 'payé',
  REJECTED: 'rejeté',
});

/** remboursements.moyen_paiement. */
export const PAYMENT_METHOD = table('PaymentMethod', {
  BANK_TRANSFER: 'virement',
  CHEQUE: 'chèque',
});

/** escalades.statut (the escalation service's table). */
export const ESCALATION_STATUS = table('EscalationStatus', {
  WAITING: 'en_attente',
  ASSIGNED: 'assignee',
  IN_PROGRESS: 'en_cours',
  RESOLVED: 'resolue',
});

export const VALUE_TABLES = [
  CLAIM_STATUS,
  CLAIM_TYPE,
  CLAIM_HANDLING,
  CLIENT_STATUS,
  MESSAGE_ROLE,
  REIMBURSEMENT_STATUS,
  PAYMENT_METHOD,
  ESCALATION_STATUS,
] as const;
