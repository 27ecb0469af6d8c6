// The cost of an operation, multiplied by list sizes: every field costs 1, and what is selected
// under a list counts once per item the list may return. A paginated field counts `first` (or
// `last`) times, the page size its service uses when the argument is absent; a list without
// pagination counts the size LIST_SIZES gives it. So `clients(first: 100) { claims(first: 100)
// { ... } }` costs about 10,000 times what one claim costs.
//
// The walk (variables, fragments, @skip/@include, unions) is graphql-query-complexity's; only
// the estimator below is ours. It runs once variables are known: in Apollo's
// didResolveOperation for HTTP (its validation rules are cached per document, without the
// variables), and in onSubscribe for WebSocket (ws.ts). An operation over the limit is refused
// with LIMIT.COST (HTTP 400); the message gives the limit and the cost found.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';

/** @crm/subgraph pageSize(): `first` defaults to 20 and may be 1-100. */
const PAGE = { default: 20, max: 100 } as const;
/** conversation's messages(last): 1-500; without `last`, the newest 500 (MAX_MESSAGES). */
const MESSAGES = { default: 500, max: 500 } as const;

/**
 * How many items a list field may return, for the cost. Every list field of the supergraph is
 * here (cost.spec.ts walks schemas/supergraph.graphql and fails on a list that is not):
 * - `page`: takes `first`/`last`; the service refuses more than `max`; absent = `default`;
 * - `parent`: a connection's edges, as many as the page that holds them (counted there);
 * - `bounded`: the domain bounds it (an enum, a policy, input validation, a rule) or the
 *   service caps it (a history keeps its newest items): the most it returns.
 * There is no other kind: a list no service bounds cannot be costed, so it cannot be served.
 */
export type ListSize =
  | { kind: 'page'; default: number; max: number }
  | { kind: 'parent' }
  | { kind: 'bounded'; size: number; why: string };

export const LIST_SIZES: Readonly<Record<string, ListSize>> = {
  'Query.clients': { kind: 'page', ...PAGE },
  'Query.claims': { kind: 'page', ...PAGE },
  'Query.escalationQueue': { kind: 'page', ...PAGE },
  'Query.authenticationAlerts': { kind: 'page', ...PAGE },
  'Client.claims': { kind: 'page', ...PAGE },
  'Case.events': { kind: 'page', ...PAGE },
  'Query.cases': { kind: 'page', ...PAGE },
  // `last` absent returns the newest 500: counted as the largest page
  'Claim.messages': { kind: 'page', ...MESSAGES },
  'Conversation.messages': { kind: 'page', ...MESSAGES },

  'ClientConnection.edges': { kind: 'parent' },
  'ClaimConnection.edges': { kind: 'parent' },
  'EscalationConnection.edges': { kind: 'parent' },
  'CaseEventConnection.edges': { kind: 'parent' },
  'CaseConnection.edges': { kind: 'parent' },
  'CaseConnection.countsByStatus': {
    kind: 'bounded',
    size: 10,
    why: "one per case status (seed 2's NEW, AUDIT_DONE, CALL_REQUESTED, CALL_SCHEDULED, SUMMARIZED, CLAIM_OPENED)",
  },

  'Claim.photoUrls': { kind: 'bounded', size: 50, why: 'openClaim/updateClaim accept at most 50' },
  'Claim.cciFactors': { kind: 'bounded', size: 25, why: 'one per rule of the CCI policy (24 in cci-v1)' },
  'ConversationIntake.cciFactors': {
    kind: 'bounded',
    size: 25,
    why: 'one per rule of the CCI policy (24 in cci-v1)',
  },
  'ConversationIntake.missingFacts': {
    kind: 'bounded',
    size: 12,
    why: 'the facts of a claim file (engine/progress.ts: 12)',
  },
  'Claim.allowedTransitions': {
    kind: 'bounded',
    size: 6,
    why: 'the lifecycle table: at most the six other statuses (claim-lifecycle.rules.ts)',
  },
  'Claim.triggers': {
    kind: 'bounded',
    size: 10,
    why: 'one per trigger code, recorded when first seen (5), plus one ACTION_OVERDUE per recommended action (at most 4)',
  },
  'Claim.recommendedActions': {
    kind: 'bounded',
    size: 5,
    why: 'one per action type (4): initialActions and reconcileActions add a type only once',
  },
  'CaseEvent.notes': {
    kind: 'bounded',
    size: 3,
    why: 'one per identity field a partner sent (email, phone, name)',
  },
  'EscalationEntry.reasons': { kind: 'bounded', size: 10, why: 'escalateClaim accepts at most 10' },
  'ConversationTurn.replies': { kind: 'bounded', size: 5, why: "the bot's lines of one turn" },
  'ConversationTurn.messages': {
    kind: 'bounded',
    size: 6,
    why: "one turn's rows: the client's message and the bot's lines",
  },

  // histories and lists the services cap themselves, keeping the newest (the constant in each
  // service's repository): the most they ever return
  'Claim.statusHistory': {
    kind: 'bounded',
    size: 100,
    why: 'claims keeps the newest 100 (MAX_CLAIM_STATUS_HISTORY)',
  },
  'Claim.auditTrail': { kind: 'bounded', size: 100, why: 'claims returns the newest 100 (MAX_AUDIT_TRAIL)' },
  'ClientErasure.services': {
    kind: 'bounded',
    size: 5,
    why: 'identity and the four services that erase (ERASURE_PROOFS)',
  },
  'LeadErasureProgress.services': {
    kind: 'bounded',
    size: 3,
    why: "identity and the two services that hold a lead's cases (LEAD_ERASURE_PROOFS)",
  },
  'Client.auditTrail': {
    kind: 'bounded',
    size: 100,
    why: 'identity returns the newest 100 (MAX_AUDIT_TRAIL)',
  },
  'AuditRecord.roles': { kind: 'bounded', size: 6, why: 'the six roles of @crm/auth' },
  'AuditRecord.changedFields': {
    kind: 'bounded',
    size: 50,
    why: 'one per changed field of one entity (none has 50; a client has 11)',
  },
  'AuditRecord.changes': {
    kind: 'bounded',
    size: 50,
    why: 'one per changed field of one entity, as changedFields',
  },
  'Claim.activity': { kind: 'bounded', size: 200, why: 'claims keeps the newest 200 (MAX_CLAIM_ACTIVITY)' },
  'Claim.reimbursements': {
    kind: 'bounded',
    size: 50,
    why: 'reimbursement keeps the newest 50 (MAX_CLAIM_REIMBURSEMENTS)',
  },
  'Query.reimbursementsByClaim': {
    kind: 'bounded',
    size: 50,
    why: 'reimbursement keeps the newest 50 (MAX_CLAIM_REIMBURSEMENTS)',
  },
  'Query.claimHistory': {
    kind: 'bounded',
    size: 500,
    why: 'conversation keeps the newest 500 (MAX_CLAIM_HISTORY)',
  },
  'Query.casesByLead': { kind: 'bounded', size: 50, why: 'claims keeps the newest 50 (MAX_CASES_BY_LEAD)' },
  'Query.advisors': {
    kind: 'bounded',
    size: 200,
    why: 'escalation returns the first 200 by name (MAX_ADVISORS)',
  },
  'Advisor.assignments': {
    kind: 'bounded',
    size: 50,
    why: 'escalation keeps the 50 most recently assigned (MAX_ADVISOR_ASSIGNMENTS)',
  },
  'EscalationEntry.assignmentHistory': {
    kind: 'bounded',
    size: 50,
    why: 'escalation keeps the newest 50 (MAX_ASSIGNMENT_HISTORY)',
  },
  'Client.contracts': {
    kind: 'bounded',
    size: 50,
    why: 'identity keeps the newest 50 (MAX_CLIENT_CONTRACTS)',
  },
  'Client.conversations': {
    kind: 'bounded',
    size: 50,
    why: 'conversation keeps the newest 50 (MAX_CLIENT_CONVERSATIONS)',
  },
  'Contract.claims': { kind: 'bounded', size: 100, why: 'claims keeps the newest 100 (MAX_CONTRACT_CLAIMS)' },
};

/** A list field that LIST_SIZES does not know (a subgraph added one): counted as a full page. */
export const UNKNOWN_LIST_SIZE = PAGE.max;

function isPaged(field: ComplexityEstimatorArgs['field']): boolean {
  return field.args.some((a) => a.name === 'first' || a.name === 'last');
}

/** How many times the selection under this field counts. */
export function multiplierOf({
  type,
  field,
  args,
}: Omit<ComplexityEstimatorArgs, 'childComplexity' | 'node'>): number {
  // introspection (the explorer's schema; off in production) is data the gateway holds
  if (type.name.startsWith('__')) return 1;
  const size = LIST_SIZES[`${type.name}.${field.name}`];
  if (isPaged(field)) {
    const asked = [args['first'], args['last']].find((v): v is number => typeof v === 'number');
    // more than the service's maximum is refused by the service; the cost is what was asked
    const fallback = size?.kind === 'page' ? size.default : UNKNOWN_LIST_SIZE;
    return Math.max(1, asked ?? fallback);
  }
  if (!isListType(getNullableType(field.type))) return 1;
  if (!size) return UNKNOWN_LIST_SIZE;
  switch (size.kind) {
    case 'parent':
      return 1;
    case 'page':
      return size.default;
    case 'bounded':
      return size.size;
  }
}

/** 1 for the field, plus its selection once per item it may return. */
export function listSizeEstimator(args: ComplexityEstimatorArgs): number {
  return 1 + multiplierOf(args) * args.childComplexity;
}

export interface CostedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
}

/**
 * The operation's cost. Throws when it cannot be measured: more than 10,000 selections once
 * fragments are expanded (a GraphQLError), or variables that do not fit their types.
 */
export function operationCost(op: CostedOperation): number {
  return getComplexity({
    schema: op.schema,
    query: op.document,
    variables: op.variables ?? {},
    ...(op.operationName ? { operationName: op.operationName } : {}),
    estimators: [listSizeEstimator],
  });
}

export const LIMIT_COST = 'LIMIT.COST';

const tooCostly = (maxCost: number, found: string) =>
  new GraphQLError(`Query cost limit of ${maxCost} exceeded, found ${found}.`, {
    extensions: { code: LIMIT_COST },
  });

/**
 * LIMIT.COST when the operation costs more than maxCost, else undefined. Variables that do not
 * fit their types pass: execution refuses them itself (BAD_USER_INPUT), before any resolver.
 */
export function costRefusal(op: CostedOperation, maxCost: number): GraphQLError | undefined {
  let cost: number;
  try {
    cost = operationCost(op);
  } catch (err) {
    if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) {
      return tooCostly(maxCost, 'more than 10,000 selections');
    }
    return undefined;
  }
  return cost > maxCost ? tooCostly(maxCost, String(cost)) : undefined;
}

/** The variables an operation's cost can depend on: Int (first, last) and Boolean (@skip, @include). */
function costVariablesOf(document: DocumentNode): string[] {
  const names: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      let type = variable.type;
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
      if (type.name.value === 'Int' || type.name.value === 'Boolean')
        names.push(variable.variable.name.value);
    }
  }
  return names;
}

/**
 * costRefusal, remembered per document (Apollo's document store hands the same DocumentNode to
 * every request of the same text) and per value of the variables the cost can depend on: a
 * repeated operation is measured once (the walk was about 3% of the gateway's busy CPU).
 * `maxPerDocument` outcomes are kept per document, the oldest dropped first.
 */
export class CostCache {
  private readonly documents = new WeakMap<
    DocumentNode,
    { variables: string[]; outcomes: Map<string, GraphQLError | undefined> }
  >();

  constructor(
    private readonly maxCost: number,
    private readonly maxPerDocument = 64,
    private readonly measure: typeof costRefusal = costRefusal,
  ) {}

  refusal(op: CostedOperation): GraphQLError | undefined {
    let entry = this.documents.get(op.document);
    if (!entry) {
      entry = { variables: costVariablesOf(op.document), outcomes: new Map() };
      this.documents.set(op.document, entry);
    }
    const values = entry.variables.map((name) => op.variables?.[name] ?? null);
    const key = `${op.operationName ?? ''}\0${JSON.stringify(values)}`;
    if (entry.outcomes.has(key)) return entry.outcomes.get(key);
    const outcome = this.measure(op, this.maxCost);
    if (entry.outcomes.size >= this.maxPerDocument)
      entry.outcomes.delete(entry.outcomes.keys().next().value!);
    entry.outcomes.set(key, outcome);
    return outcome;
  }
}

/** The HTTP side: refuses before execution, once Apollo has the operation and its variables. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  const costs = new CostCache(maxCost);
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, request, operationName }) => {
          const refusal = costs.refusal({ schema, document, variables: request.variables, operationName });
          if (refusal) {
            throw new GraphQLError(refusal.message, {
              extensions: { ...refusal.extensions, http: { status: 400 } },
            });
          }
          return Promise.resolve();
        },
      }),
  };
}

/** Every field that returns a list or takes `first`/`last`, as `Type.field` (cost.spec.ts). */
export function listFieldsOf(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (isListType(getNullableType(field.type)) || isPaged(field)) found.push(`${type.name}.${field.name}`);
    }
  }
  return found.sort();
}
