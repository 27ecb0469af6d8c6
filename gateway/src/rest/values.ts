// The seed's French values (architecture-crm-production.md, its DDL's comments) and the graph's
// English enum values, for the REST facade's bodies and answers. The tables are the ones the
// services map their columns with (@crm/subgraph's seed-values.ts: one spelling of the seed for
// both), each a complete Record over the graph's values, checked against the supergraph by
// values.spec.ts.
import {
  SEED_CLAIM_HANDLING,
  SEED_CLAIM_STATUS,
  SEED_CLAIM_TYPE,
  SEED_CLIENT_STATUS,
  SEED_ESCALATION_STATUS,
  SEED_MESSAGE_ROLE,
  SEED_PAYMENT_METHOD,
  SEED_REIMBURSEMENT_STATUS,
} from '@crm/subgraph';

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
export const CLAIM_STATUS = table('ClaimStatus', SEED_CLAIM_STATUS);

/** sinistres.type_sinistre. */
export const CLAIM_TYPE = table('ClaimType', SEED_CLAIM_TYPE);

/** sinistres.type_traitement. */
export const CLAIM_HANDLING = table('ClaimHandling', SEED_CLAIM_HANDLING);

/** clients.statut; ERASED is the seed's DELETE /clients/:id (RGPD). */
export const CLIENT_STATUS = table('ClientStatus', SEED_CLIENT_STATUS);

/** historique_conversation.role. */
export const MESSAGE_ROLE = table('MessageRole', SEED_MESSAGE_ROLE);

/** remboursements.statut. */
export const REIMBURSEMENT_STATUS = table('ReimbursementStatus', SEED_REIMBURSEMENT_STATUS);

/** remboursements.moyen_paiement. */
export const PAYMENT_METHOD = table('PaymentMethod', SEED_PAYMENT_METHOD);

/** escalades.statut (the escalation service's table). */
export const ESCALATION_STATUS = table('EscalationStatus', SEED_ESCALATION_STATUS);

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
