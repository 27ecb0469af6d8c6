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
/** conversation's messages(last): 1-500; without `last`, every message (see LIST_SIZES). */
const MESSAGES = { default: 500, max: 500 } as const;

/**
 * How many items a list field may return, for the cost. Every list field of the supergraph is
 * here (cost.spec.ts walks schemas/supergraph.graphql and fails on a list that is not):
 * - `page`: takes `first`/`last`; the service refuses more than `max`; absent = `default`;
 * - `parent`: a connection's edges, as many as the page that holds them (counted there);
 * - `bounded`: the domain bounds it (an enum, a policy, input validation, a rule);
 * - `grows`: the service returns every item and nothing bounds them: the cost assumes `size`.
 *   These are the lists to paginate (docs/security.md, Limits in place).
 */
export type ListSize =
  | { kind: 'page'; default: number; max: number }
  | { kind: 'parent' }
  | { kind: 'bounded'; size: number; why: string }
  | { kind: 'grows'; size: number; why: string };

export const LIST_SIZES: Readonly<Record<string, ListSize>> = {
  'Query.clients': { kind: 'page', ...PAGE },
  'Query.claims': { kind: 'page', ...PAGE },
  'Query.escalationQueue': { kind: 'page', ...PAGE },
  'Query.authenticationAlerts': { kind: 'page', ...PAGE },
  'Client.claims': { kind: 'page', ...PAGE },
  'Case.events': { kind: 'page', ...PAGE },
  // `last` absent returns the whole history: counted as the largest page
  'Claim.messages': { kind: 'page', ...MESSAGES },
  'Conversation.messages': { kind: 'page', ...MESSAGES },

  'ClientConnection.edges': { kind: 'parent' },
  'ClaimConnection.edges': { kind: 'parent' },
  'EscalationConnection.edges': { kind: 'parent' },
  'CaseEventConnection.edges': { kind: 'parent' },

  'Claim.photoUrls': { kind: 'bounded', size: 50, why: 'openClaim/updateClaim accept at most 50' },
  'Claim.cciFactors': { kind: 'bounded', size: 25, why: 'one per rule of the CCI policy (24 in cci-v1)' },
  'Claim.triggers': { kind: 'bounded', size: 5, why: 'one per ClaimTriggerKind, recorded when first seen' },
  'Claim.recommendedActions': {
    kind: 'bounded',
    size: 5,
    why: 'written once, when the claim opens (claim.rules initialActions: at most 4)',
  },
  'CaseEvent.notes': {
    kind: 'bounded',
    size: 3,
    why: 'one per identity field a partner sent (email, phone, name)',
  },
  'EscalationEntry.reasons': { kind: 'bounded', size: 10, why: 'escalateClaim accepts at most 10' },
  'ConversationTurn.replies': { kind: 'bounded', size: 5, why: "the bot's lines of one turn" },

  'Claim.statusHistory': { kind: 'grows', size: 20, why: 'every status change; the lifecycle has cycles' },
  'Claim.activity': { kind: 'grows', size: 50, why: "the claim's timeline, with its case journal" },
  'Claim.reimbursements': { kind: 'grows', size: 10, why: 'every reimbursement of the claim' },
  'Query.reimbursementsByClaim': { kind: 'grows', size: 10, why: 'every reimbursement of the claim' },
  'Query.claimHistory': { kind: 'grows', size: 500, why: "every message of the claim's conversations" },
  'Query.casesByLead': { kind: 'grows', size: 10, why: 'every case of the lead' },
  'Query.advisors': { kind: 'grows', size: 100, why: 'every advisor' },
  'Advisor.assignments': {
    kind: 'grows',
    size: 50,
    why: 'every entry ever assigned to the advisor, resolved ones too, unless `status` filters',
  },
  'EscalationEntry.assignmentHistory': { kind: 'grows', size: 10, why: 'every (re)assignment of the entry' },
  'Client.contracts': { kind: 'grows', size: 10, why: 'every contract of the client' },
  'Client.conversations': { kind: 'grows', size: 10, why: 'every conversation of the client' },
  'Contract.claims': { kind: 'grows', size: 20, why: 'every claim of the contract, archived ones too' },
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
    case 'grows':
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

/** The HTTP side: refuses before execution, once Apollo has the operation and its variables. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, request, operationName }) => {
          const refusal = costRefusal(
            { schema, document, variables: request.variables, operationName },
            maxCost,
          );
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
