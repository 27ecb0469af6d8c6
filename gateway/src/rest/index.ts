// The REST facade (issue 17): everything under /api/v1. server.ts hands it every request whose
// path starts with /api/v1/, after the client address's rate limit.
//   /api/v1/openapi.json   the OpenAPI 3.1 document, derived from the route table (no token)
//   /api/v1/docs           its reference page (Swagger UI from node_modules; no token)
//   /api/v1/events         partners' seed 2 messages (events.ts; a partner's key or signature)
//   anything else          the seed's endpoints (routes.ts, handler.ts; a bearer token)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from '@crm/logging';
import type { AcceptedTokens } from '../auth';
import type { Env } from '../env';
import type { RateLimits } from '../rate-limits';
import type { GatewayContext } from '../subgraph-calls';
import { DOCS_PATH, OPENAPI_PATH, serveDocs } from './docs-page';
import { createEventsHandler, EVENTS_PATH, partnerCredentials, type IngestPartner } from './events';
import { API_PREFIX, createRestHandler } from './handler';
import { memoryIdempotencyStore, postgresIdempotencyStore, type IdempotencyStore } from './idempotency';
import { openApiDocument } from './openapi';

export { API_PREFIX } from './handler';

export interface RestApi {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  close(): Promise<void>;
}

export interface RestApiDeps {
  env: Pick<Env, 'NODE_ENV' | 'RATE_LIMIT_DATABASE_URL' | 'PARTNER_CREDENTIALS'>;
  apollo: ApolloServer<GatewayContext>;
  accepted: AcceptedTokens;
  rateLimits: RateLimits;
  logger: Logger;
  context(req: IncomingMessage): Omit<GatewayContext, 'principal'>;
}

/** claims' mutation that journals a partner's message (POST /api/v1/events) */
const INGEST_PARTNER_MESSAGE = `mutation IngestPartnerMessage($message: JSON!) {
  ingestPartnerMessage(message: $message) { id recorded }
}`;

export async function startRestApi(deps: RestApiDeps): Promise<RestApi> {
  const production = deps.env.NODE_ENV === 'production';
  const idempotency: IdempotencyStore = deps.env.RATE_LIMIT_DATABASE_URL
    ? await postgresIdempotencyStore(deps.env.RATE_LIMIT_DATABASE_URL, deps.logger)
    : memoryIdempotencyStore();
  const routes = createRestHandler({ ...deps, idempotency });
  // through the gateway's own pipeline, as the partner: its token names its source (role partner)
  const ingestPartner: IngestPartner = async (message, source, req) => {
    const result = await deps.apollo.executeOperation(
      { query: INGEST_PARTNER_MESSAGE, variables: { message }, operationName: 'IngestPartnerMessage' },
      { contextValue: { ...deps.context(req), principal: { sub: source, roles: ['partner'] } } },
    );
    if (result.body.kind !== 'single') return [{ message: 'unexpected incremental answer' }];
    return result.body.singleResult.errors ?? [];
  };
  const events = createEventsHandler({
    credentials: partnerCredentials(deps.env.PARTNER_CREDENTIALS, production, deps.logger),
    rateLimits: deps.rateLimits,
    logger: deps.logger,
    ingestPartner,
  });
  // built once: the table does not change while the process runs
  const document = JSON.stringify(openApiDocument());
  deps.logger.info({ idempotency: idempotency.kind }, 'REST facade at /api/v1');
  return {
    async handle(req, res, url) {
      if (url.pathname === OPENAPI_PATH) {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-cache',
        });
        res.end(document);
        return;
      }
      if (url.pathname === DOCS_PATH || url.pathname.startsWith(`${DOCS_PATH}/`)) {
        if (req.method === 'GET' && serveDocs(req, res, url.pathname)) return;
      }
      if (url.pathname === EVENTS_PATH) return events(req, res);
      return routes(req, res, url);
    },
    close: () => idempotency.close(),
  };
}

/** for server.ts: the requests the facade serves */
export const isRestPath = (pathname: string): boolean => pathname.startsWith(`${API_PREFIX}/`);
