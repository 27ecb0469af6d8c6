// The one place the gateway reaches into Apollo beyond its public API. Federated
// subscriptions need the query planner (@apollo/query-planner), the supergraph and operation
// model it plans on (@apollo/federation-internals) and the gateway's own plan executor, which
// @apollo/gateway does not export (dist/executeQueryPlan, dist/operationContext). These are
// pinned to one exact version in gateway/package.json, and apollo-internals.spec.ts fails
// loudly when an upgrade changes the installed versions or the shapes used here.
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import type { GraphQLDataSource } from '@apollo/gateway';
import { executeQueryPlan } from '@apollo/gateway/dist/executeQueryPlan';
import { buildOperationContext } from '@apollo/gateway/dist/operationContext';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';

export type { FetchNode, PlanNode, QueryPlan };

/** The Apollo version every internal above is pinned to (gateway/package.json). */
export const APOLLO_INTERNALS_VERSION = '2.14.4';

/** The executor's per-request context, with only what a subscription's completion has. */
export type PlanRequestContext = Parameters<typeof executeQueryPlan>[2];
export type OperationContext = ReturnType<typeof buildOperationContext>;

/** A composed supergraph, ready to plan operations and to execute their plans. */
export class PlannedSupergraph {
  /** the API schema as graphql-js sees it (what clients validate against) */
  readonly schema: GraphQLSchema;
  private readonly apiSchema: Schema;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  plan(document: DocumentNode, operationName?: string): QueryPlan {
    const operation = operationFromDocument(this.apiSchema, document, {
      ...(operationName ? { operationName } : {}),
    });
    return this.planner.buildQueryPlan(operation);
  }

  operationContext(document: DocumentNode, operationName?: string): OperationContext {
    return buildOperationContext({
      schema: this.schema,
      operationDocument: document,
      ...(operationName ? { operationName } : {}),
    });
  }

  /** Runs a plan (not one whose top node is a Subscription: the executor refuses those). */
  execute<TContext extends object>(
    plan: QueryPlan,
    dataSources: Record<string, GraphQLDataSource<TContext>>,
    requestContext: PlanRequestContext,
    operationContext: OperationContext,
  ): Promise<ExecutionResult> {
    return executeQueryPlan(
      plan,
      dataSources,
      requestContext,
      operationContext,
      this.supergraphSchema,
      this.apiSchema,
    );
  }
}
