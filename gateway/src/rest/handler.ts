// Serves the route table (routes.ts): authenticates the bearer token and takes a point from the
// caller's rate budget as /graphql does, validates the path, query and body with the route's
// schemas, runs the route's named operation through the gateway's Apollo pipeline
// (executeOperation: the operation limits, the cost plugin, the subgraphs' policies,
// formatError), and answers with the seed's representation or a problem (problem.ts). PUT
// checks If-Match against the current representation's ETag; POST honours Idempotency-Key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { AuthError, type Principal } from '@crm/auth';
import type { z } from '@crm/config';
import type { Logger } from '@crm/logging';
import { DomainError, readBody } from '@crm/subgraph';
import { authenticate, type AcceptedTokens } from '../auth';
import { rateLimitHeaders, rateLimitMessage, type RateLimits } from '../rate-limits';
import type { GatewayContext } from '../subgraph-calls';
import { etagOf, ifMatchHolds, parseIfMatch } from './etag';
import { IDEMPOTENCY_KEY, fingerprintOf, replayable, type IdempotencyStore } from './idempotency';
import { kindOf, problem, sendProblem, type FieldError, type Problem } from './problem';
import { seedFieldOf, type BodyMapping } from './resources';
import { matchRoute, type Operation, type Page, type Route, type RouteInput } from './routes';

export const API_PREFIX = '/api/v1';
const MAX_BODY_BYTES = 64 * 1024;

export interface RestDeps {
  apollo: ApolloServer<GatewayContext>;
  accepted: AcceptedTokens;
  rateLimits: RateLimits;
  idempotency: IdempotencyStore;
  logger: Logger;
  /** the correlation id and the caller's address (server.ts requestContext) */
  context(req: IncomingMessage): Omit<GatewayContext, 'principal'>;
}

/** An answer not yet sent: what idempotency remembers and replays. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});
const problemAnswer = (p: Problem, headers: Record<string, string> = {}): Answer => ({
  status: p.status,
  headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
  body: JSON.stringify(p),
});

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'cache-control': 'no-store', ...answer.headers });
  res.end(answer.status === 204 || answer.status === 304 ? undefined : answer.body);
}

/** zod issues as the problem's errors, with the seed's field names (they are the schema's). */
const zodErrors = (error: z.ZodError, prefix = ''): FieldError[] =>
  error.issues.map((i) => ({ field: prefix + (i.path.join('.') || '(body)'), message: i.message }));

/** Chooses the error that decides the status: authentication, then authorization, then the first. */
function decisive(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError {
  const rank = (e: GraphQLFormattedError) => {
    const code = e.extensions?.code;
    const kind = kindOf(typeof code === 'string' ? code : 'INTERNAL');
    return kind === 'UNAUTHENTICATED' ? 0 : kind === 'FORBIDDEN' ? 1 : kind === 'NOT_FOUND' ? 2 : 3;
  };
  return [...errors].sort((a, b) => rank(a) - rank(b))[0]!;
}

export function problemOfGraphErrors(
  errors: readonly GraphQLFormattedError[],
  instance: string,
  mapping?: BodyMapping,
): Problem {
  const error = decisive(errors);
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL';
  const details = error.extensions?.details as
    { problems?: { field: string; message: string }[] } | undefined;
  const fieldErrors = details?.problems?.map((p) => ({
    field: seedFieldOf(p.field, mapping),
    message: p.message,
  }));
  const errorId = typeof error.extensions?.errorId === 'string' ? error.extensions.errorId : undefined;
  return problem(code, error.message, instance, {
    ...(fieldErrors ? { errors: fieldErrors } : {}),
    ...(errorId ? { errorId } : {}),
  });
}

type Executed = { ok: true; representation: unknown } | { ok: false; problem: Problem };

export function createRestHandler(deps: RestDeps) {
  const { apollo, logger } = deps;

  async function execute(
    op: Operation,
    input: RouteInput,
    context: Omit<GatewayContext, 'principal'>,
    instance: string,
    mapping?: BodyMapping,
  ): Promise<Executed> {
    const result = await apollo.executeOperation<Record<string, unknown>>(
      { query: op.document, variables: op.variables(input), operationName: op.operationName },
      { contextValue: { ...context, principal: input.principal } },
    );
    if (result.body.kind !== 'single') {
      return { ok: false, problem: problem('INTERNAL', 'unexpected incremental answer', instance) };
    }
    const { data, errors } = result.body.singleResult;
    if (errors?.length) return { ok: false, problem: problemOfGraphErrors(errors, instance, mapping) };
    return { ok: true, representation: op.result(data ?? {}, input) };
  }

  /** Authenticates and counts the call; undefined after answering 401 or 429. */
  async function admit(
    req: IncomingMessage,
    res: ServerResponse,
    instance: string,
  ): Promise<Principal | undefined> {
    let principal: Principal;
    try {
      principal = (await authenticate(req.headers.authorization, deps.accepted)).principal;
    } catch (err) {
      const code = err instanceof AuthError ? err.code : 'AUTH.INVALID_TOKEN';
      sendProblem(res, problem(code, err instanceof AuthError ? err.message : 'invalid token', instance), {
        'www-authenticate': 'Bearer realm="crm"',
      });
      return undefined;
    }
    const outcome = await deps.rateLimits.consume('principal', principal.sub);
    if (outcome) {
      // the tighter of the two budgets shows (the address's was set before routing)
      const shown = Number(res.getHeader('ratelimit-remaining') ?? Infinity);
      if (!outcome.allowed || outcome.remaining <= shown)
        for (const [name, value] of Object.entries(rateLimitHeaders(outcome, deps.rateLimits.windowSeconds)))
          res.setHeader(name, value);
      if (!outcome.allowed) {
        sendProblem(res, problem('LIMIT.RATE', rateLimitMessage(outcome), instance), {
          'retry-after': String(outcome.resetSeconds),
        });
        return undefined;
      }
    }
    return principal;
  }

  /** The body as the route's schema reads it, or the problem that refuses it. */
  async function readRouteBody(
    req: IncomingMessage,
    route: Route,
    instance: string,
  ): Promise<{ raw: string; body: Record<string, unknown> } | { problem: Problem }> {
    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof DomainError) return { problem: problem(err.code, err.message, instance) };
      throw err;
    }
    if (!route.body) return { raw, body: {} };
    if (!raw.trim()) {
      if (!route.body.required) return { raw, body: {} };
      return { problem: problem('VALIDATION.FAILED', 'a JSON body is required', instance) };
    }
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
      return {
        problem: problem('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', instance),
      };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { problem: problem('REQUEST.MALFORMED', 'the body is not JSON', instance) };
    }
    const checked = route.body.schema.safeParse(parsed);
    if (!checked.success) {
      return {
        problem: problem('VALIDATION.FAILED', 'the body breaks the endpoint’s schema', instance, {
          errors: zodErrors(checked.error),
        }),
      };
    }
    return { raw, body: checked.data as Record<string, unknown> };
  }

  /** Runs a matched route once admitted; the answer, for idempotency to remember. */
  async function run(
    req: IncomingMessage,
    url: URL,
    route: Route,
    input: RouteInput,
    context: Omit<GatewayContext, 'principal'>,
  ): Promise<Answer> {
    const instance = url.pathname;
    const mapping = route.body?.mapping;
    if (route.precondition) {
      const tags = parseIfMatch(req.headers['if-match']);
      if (tags === undefined && route.precondition.required) {
        return problemAnswer(
          problem(
            'PRECONDITION.REQUIRED',
            'send If-Match with the ETag of the representation you are changing',
            instance,
          ),
        );
      }
      if (tags !== undefined) {
        const current = await execute(route.precondition.read, input, context, instance);
        if (!current.ok) return problemAnswer(current.problem);
        if (current.representation === undefined) {
          return problemAnswer(problem(route.notFound ?? 'REQUEST.NOT_FOUND', 'not found', instance));
        }
        const tag = etagOf(current.representation);
        if (!ifMatchHolds(tags, tag)) {
          return problemAnswer(
            problem('PRECONDITION.FAILED', 'the resource changed since you read it: read it again', instance),
            { etag: tag },
          );
        }
        // the write applies only to the version just checked (the service refuses any other)
        const version = (current.representation as { date_modification?: unknown }).date_modification;
        if (typeof version === 'string') input = { ...input, expectedUpdatedAt: version };
      }
    }
    const done = await execute(route, input, context, instance, mapping);
    if (!done.ok) return problemAnswer(done.problem);
    if (route.status === 204) return { status: 204, headers: {}, body: '' };
    if (done.representation === undefined) {
      return problemAnswer(problem(route.notFound ?? 'REQUEST.NOT_FOUND', 'not found', instance));
    }
    if (route.paginated) {
      const pageResult = done.representation as Page;
      const headers: Record<string, string> = {};
      const first = new URL(url);
      first.searchParams.delete('cursor');
      const links = [`<${first.pathname}${first.search}>; rel="first"`];
      if (pageResult.nextCursor) {
        const next = new URL(url);
        next.searchParams.set('cursor', pageResult.nextCursor);
        links.push(`<${next.pathname}${next.search}>; rel="next"`);
      }
      headers.link = links.join(', ');
      return json(
        200,
        { data: pageResult.items, total: pageResult.total, next_cursor: pageResult.nextCursor },
        headers,
      );
    }
    const headers: Record<string, string> = {};
    // the ETag of a single resource: what the next PUT's If-Match carries
    const single = route.etag || route.precondition || (route.method === 'POST' && route.location);
    if (single) headers.etag = etagOf(done.representation);
    if (route.status === 201 && route.location) headers.location = route.location(done.representation);
    if (route.method === 'GET' && route.etag) {
      headers['cache-control'] = 'private, no-cache';
      const ifNoneMatch = parseIfMatch(req.headers['if-none-match']);
      if (ifNoneMatch && ifMatchHolds(ifNoneMatch, headers.etag)) return { status: 304, headers, body: '' };
    }
    return json(route.status, done.representation, headers);
  }

  /** Serves a request under /api/v1 that is one of the table's routes. */
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const instance = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const found = matchRoute(method, url.pathname);
    if (!found.match) {
      if (found.allowed.length) {
        return sendProblem(
          res,
          problem('REQUEST.METHOD_NOT_ALLOWED', `use ${found.allowed.join(', ')}`, instance),
          { allow: found.allowed.join(', ') },
        );
      }
      return sendProblem(res, problem('REQUEST.NOT_FOUND', 'no endpoint at this path', instance));
    }
    if (found.malformed) {
      return sendProblem(
        res,
        problem('REQUEST.MALFORMED', 'a path segment is not valid URL encoding', instance),
      );
    }
    const { route, params } = found.match;
    const context = deps.context(req);
    res.setHeader('x-correlation-id', context.correlationId);
    const principal = await admit(req, res, instance);
    if (!principal) return;

    let query: Record<string, unknown> = {};
    if (route.query) {
      const checked = route.query.safeParse(Object.fromEntries(url.searchParams));
      if (!checked.success) {
        return sendProblem(
          res,
          problem('REQUEST.MALFORMED', 'a query parameter is not valid', instance, {
            errors: zodErrors(checked.error),
          }),
        );
      }
      query = checked.data;
    }
    const read = await readRouteBody(req, route, instance);
    if ('problem' in read) return sendProblem(res, read.problem);
    const input: RouteInput = { params, query, body: read.body, principal };

    const key = method === 'POST' ? req.headers['idempotency-key'] : undefined;
    if (typeof key !== 'string') {
      const answer = await run(req, url, route, input, context);
      logger.debug({ operation: route.operationName, status: answer.status }, 'rest call');
      return send(res, answer);
    }
    if (!IDEMPOTENCY_KEY.test(key)) {
      return sendProblem(
        res,
        problem(
          'IDEMPOTENCY.INVALID_KEY',
          'Idempotency-Key must be 1-255 visible ASCII characters',
          instance,
        ),
      );
    }
    const begun = await deps.idempotency.begin(
      principal.sub,
      key,
      fingerprintOf(method, url.pathname + url.search, read.raw),
    );
    switch (begun.state) {
      case 'mismatch':
        return sendProblem(
          res,
          problem('IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for another request', instance),
        );
      case 'in-progress':
        return sendProblem(
          res,
          problem('IDEMPOTENCY.IN_PROGRESS', 'the first request with this key is still running', instance),
          { 'retry-after': '1' },
        );
      case 'replay':
        return send(res, {
          ...begun.answer,
          headers: { ...begun.answer.headers, 'idempotent-replayed': 'true' },
        });
      case 'new':
        break;
    }
    let answer: Answer;
    try {
      answer = await run(req, url, route, input, context);
    } catch (err) {
      await deps.idempotency.release(principal.sub, key);
      throw err;
    }
    if (replayable(answer.status)) await deps.idempotency.complete(principal.sub, key, answer);
    else await deps.idempotency.release(principal.sub, key);
    logger.debug({ operation: route.operationName, status: answer.status, idempotent: true }, 'rest call');
    send(res, answer);
  };
}
