// Error codes are declared, not typed freely: each domain lists its codes with what kind of
// failure each is and what it means (a service's src/errors.ts), the common ones are here, and
// services raise them through typed factories (defineErrors). The kinds map to HTTP statuses in
// one exhaustive place (httpStatus); docs/graph.md's table is generated from the catalogs
// (npm run errors:table) and checked for staleness by npm test.
import type { AuthErrorCode } from '@crm/auth';
import { DomainError } from './errors';

export type ErrorKind =
  | 'INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNPROCESSABLE'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface ErrorSpec {
  kind: ErrorKind;
  /** what the client should understand, in one line (docs/graph.md) */
  meaning: string;
}

export type ErrorCatalog = Readonly<Record<string, ErrorSpec>>;

/** The HTTP status of each kind (REST facade, problem+json): the one mapping, exhaustive. */
export function httpStatus(kind: ErrorKind): number {
  switch (kind) {
    case 'INVALID':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'TOO_LARGE':
      return 413;
    case 'UNPROCESSABLE':
      return 422;
    case 'RATE_LIMITED':
      return 429;
    case 'UNAVAILABLE':
      return 503;
    case 'INTERNAL':
      return 500;
  }
}

/** The codes every subgraph and the gateway may answer with. */
export const COMMON_ERRORS = {
  'VALIDATION.FAILED': {
    kind: 'INVALID',
    meaning: 'the input breaks a rule; `extensions.details.problems` lists every field at once',
  },
  'PAGINATION.INVALID_CURSOR': { kind: 'INVALID', meaning: '`after` is not a cursor this list gave' },
  'PAGINATION.INVALID_SIZE': { kind: 'INVALID', meaning: '`first` is outside 1-100' },
  'REQUEST.TOO_LARGE': { kind: 'TOO_LARGE', meaning: 'the request body is over the limit' },
  'AUTH.MISSING_TOKEN': { kind: 'UNAUTHENTICATED', meaning: 'no bearer token' },
  'AUTH.INVALID_TOKEN': { kind: 'UNAUTHENTICATED', meaning: 'the token is not one this system issued' },
  'AUTH.EXPIRED_TOKEN': { kind: 'UNAUTHENTICATED', meaning: 'the token has expired' },
  'AUTH.FORBIDDEN': { kind: 'FORBIDDEN', meaning: "the caller's roles do not allow this operation or field" },
  'AUTH.NOT_FROM_GATEWAY': {
    kind: 'UNAUTHENTICATED',
    meaning: 'a subgraph called directly, not through the gateway',
  },
  'LIMIT.SUBSCRIPTIONS': {
    kind: 'RATE_LIMITED',
    meaning: 'the caller already has as many live subscriptions as the gateway allows; end one first',
  },
  'LIMIT.RATE': {
    kind: 'RATE_LIMITED',
    meaning:
      'too many requests from this caller or this address in the window; retry after `Retry-After` seconds',
  },
  'LIMIT.COST': {
    kind: 'INVALID',
    meaning:
      'the operation costs more than the gateway allows (lists count once per item); ask for smaller pages',
  },
  'SUBSCRIPTION.UPSTREAM_CLOSED': {
    kind: 'UNAVAILABLE',
    meaning: 'the service behind a subscription stayed away too long; subscribe again',
  },
  'WRITE.STALE': {
    kind: 'CONFLICT',
    meaning:
      'the record changed since the caller read it (`expectedUpdatedAt` no longer holds): nothing was written; read it again',
  },
  INTERNAL: { kind: 'INTERNAL', meaning: 'an unexpected failure; `extensions.errorId` finds it in the logs' },
} as const satisfies ErrorCatalog;

/**
 * Optimistic concurrency for an update: `expected` is the `updatedAt` the caller read (the REST
 * facade's If-Match); called under the row's lock, it refuses the write with WRITE.STALE when
 * someone changed the record since. Absent, the caller asked for no check.
 */
export function assertNotStale(
  expected: Date | null | undefined,
  current: Date,
  record: { entity: string; id: string },
): void {
  if (expected == null || expected.getTime() === current.getTime()) return;
  throw new DomainError(
    'WRITE.STALE',
    `${record.entity} ${record.id} changed since it was read: read it again`,
    { id: record.id, expectedUpdatedAt: expected.toISOString(), updatedAt: current.toISOString() },
  );
}

export type CommonErrorCode = keyof typeof COMMON_ERRORS;

// every code @crm/auth raises is declared here (a compile error otherwise)
COMMON_ERRORS satisfies Record<AuthErrorCode, ErrorSpec>;

/** "claim" for CLAIM.NOT_FOUND: the entities a catalog can say it did not find. */
type NotFoundEntity<Code> = Code extends `${infer E}.NOT_FOUND` ? Lowercase<E> : never;

/**
 * A domain's typed factories over its catalog and the common codes: `error(code, ...)` takes
 * only a declared code, `notFound(entity, id)` only an entity with a declared NOT_FOUND.
 */
export function defineErrors<const C extends ErrorCatalog>(catalog: C) {
  type Code = (keyof C & string) | CommonErrorCode;
  return {
    catalog,
    error: (code: Code, message: string, details?: Record<string, unknown>): DomainError =>
      new DomainError(code, message, details),
    notFound: (entity: NotFoundEntity<keyof C & string>, id: string): DomainError =>
      new DomainError(`${entity.toUpperCase()}.NOT_FOUND`, `${entity} ${id} not found`, { id }),
  };
}
