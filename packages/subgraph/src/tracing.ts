// Server spans of GraphQL operations, shared by the subgraphs and the gateway: one span per
// request to /graphql, named `graphql <operation>` once Apollo has resolved the operation, with
// its type, name and outcome. Never the query text, the variables or the result: they can
// hold personal data (docs/operations.md, Traces).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext as ApolloBaseContext } from '@apollo/server';
import {
  activeSpan,
  contextFromHeaders,
  inSpan,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracing,
} from '@crm/tracing';
import { OperationLabels } from './metrics';

/**
 * Runs one /graphql request inside a server span. `trustParent`: the caller's traceparent
 * header makes the span its child (a subgraph called by the gateway); the gateway, facing
 * the internet, starts a trace of its own whatever a client sends.
 */
export function traceGraphQLRequest(
  tracing: Tracing,
  req: IncomingMessage,
  res: ServerResponse,
  trustParent: boolean,
  fn: () => Promise<void>,
): Promise<void> {
  if (!tracing.enabled) return fn();
  return inSpan(
    tracing,
    'graphql',
    {
      kind: SpanKind.SERVER,
      parent: trustParent ? contextFromHeaders(req.headers) : ROOT_CONTEXT,
      attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': '/graphql' },
    },
    async (span) => {
      await fn();
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    },
  );
}

/**
 * Names the active server span after the operation Apollo resolved and records its outcome
 * (ok, error, rejected, as the metrics count them) and its errors' codes. Installed only when
 * tracing is on.
 */
export function operationSpanPlugin<T extends ApolloBaseContext>(maxOperations = 200): ApolloServerPlugin<T> {
  const operations = new OperationLabels(maxOperations);
  return {
    requestDidStart() {
      const span = activeSpan();
      if (!span) return Promise.resolve();
      return Promise.resolve({
        didResolveOperation(ctx) {
          const type = ctx.operation?.operation ?? 'unknown';
          const name = operations.of(ctx.operationName);
          span.updateName(`graphql ${name === 'anonymous' ? type : name}`);
          span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name });
          return Promise.resolve();
        },
        willSendResponse(ctx) {
          const errors = ctx.errors ?? [];
          const outcome = !errors.length ? 'ok' : ctx.operation ? 'error' : 'rejected';
          span.setAttribute('crm.outcome', outcome);
          if (errors.length) {
            const codes = new Set(
              errors.map((e) => {
                // a domain error's code is on the original error; Apollo's own are extensions
                const original = e.originalError as { code?: unknown } | undefined;
                const code = typeof original?.code === 'string' ? original.code : e.extensions?.code;
                return typeof code === 'string' ? code : 'INTERNAL';
              }),
            );
            span.setAttribute('crm.error.codes', [...codes].slice(0, 10));
            if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
          }
          return Promise.resolve();
        },
      });
    },
  };
}
