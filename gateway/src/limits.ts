// Operation limits at the edge, as GraphQL validation rules from GraphQL Armor (maintained,
// used by Apollo and Envelop users alike): depth and aliases. The token limit is graphql-js's
// own parse option (parseOptions.maxTokens). The cost (maxCost) needs the variables, which
// validation rules do not see: cost.ts, after validation. The same limits serve HTTP and the
// graphql-ws subscription server.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';

// Used as plain validation rules, the rules must report through the validation context
// (-> GRAPHQL_VALIDATION_FAILED, a client error); by default they throw, which a server
// treats as an internal failure.
const asValidationError = {
  propagateOnRejection: false,
  exposeLimits: true,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  /** cost.ts: each field 1, what is under a list once per item it may return */
  maxCost: number;
  maxTokens: number;
}

export function limitRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule({
      ...asValidationError,
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
    }),
    maxAliasesRule({ ...asValidationError, n: limits.maxAliases, allowList: [] }),
  ] as ValidationRule[];
}
