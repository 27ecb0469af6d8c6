// Errors of the REST facade as RFC 9457 problem details (application/problem+json), with the
// graph's stable code: { type, title, status, detail, code, instance, errors? }.
//
// The HTTP status comes from the code's kind through @crm/subgraph's httpStatus, the one
// mapping of kinds to statuses. The kinds of the common codes are COMMON_ERRORS'; the domain
// codes' kinds are the services' catalogs (services/*/src/errors.ts), which the gateway may not
// import: DOMAIN_ERROR_KINDS repeats them, and problem.spec.ts checks it against docs/graph.md's
// table, generated from those catalogs (npm run errors:table, checked by npm test).
// One deliberate exception: VALIDATION.FAILED (kind INVALID, 400 in the graph's table) answers
// 422 here, what HTTP clients expect for a well-formed body that breaks a rule; a body that is
// not JSON at all, or an unknown query parameter, is REQUEST.MALFORMED, 400.
import type { ServerResponse } from 'node:http';
import { COMMON_ERRORS, httpStatus, type ErrorKind } from '@crm/subgraph';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** The codes only the REST facade answers with (docs/rest.md). */
export const REST_ERRORS = {
  'REQUEST.MALFORMED': { kind: 'INVALID', meaning: 'the body is not JSON, or a parameter is malformed' },
  'REQUEST.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no endpoint at this path' },
  'REQUEST.METHOD_NOT_ALLOWED': { kind: 'INVALID', meaning: 'the path exists, not with this method' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { kind: 'INVALID', meaning: 'the body must be application/json' },
  'PRECONDITION.REQUIRED': { kind: 'INVALID', meaning: 'PUT needs If-Match: the ETag of the last GET' },
  'PRECONDITION.FAILED': {
    kind: 'CONFLICT',
    meaning: 'If-Match does not match the current representation: read it again',
  },
  'IDEMPOTENCY.KEY_REUSED': {
    kind: 'UNPROCESSABLE',
    meaning: 'this Idempotency-Key was used with another body',
  },
  'IDEMPOTENCY.IN_PROGRESS': {
    kind: 'CONFLICT',
    meaning: 'a request with this Idempotency-Key is still running; retry later',
  },
  'IDEMPOTENCY.INVALID_KEY': { kind: 'INVALID', meaning: 'Idempotency-Key must be 1-255 visible characters' },
  'EVENT.UNAUTHENTICATED': {
    kind: 'UNAUTHENTICATED',
    meaning: 'no valid API key or signature for this partner source',
  },
  'EVENT.UNAVAILABLE': { kind: 'UNAVAILABLE', meaning: 'the case journal cannot be reached; retry' },
} as const satisfies Record<string, { kind: ErrorKind; meaning: string }>;
export type RestErrorCode = keyof typeof REST_ERRORS;

/** The services' domain codes and their kinds (docs/graph.md, checked by problem.spec.ts). */
export const DOMAIN_ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  'CLIENT.NOT_FOUND': 'NOT_FOUND',
  'CLIENT.MATRICULE_TAKEN': 'CONFLICT',
  'CLIENT.ERASED': 'UNPROCESSABLE',
  'CONTRACT.NUMBER_TAKEN': 'CONFLICT',
  'CLAIM.NOT_FOUND': 'NOT_FOUND',
  'CLAIM.ARCHIVED': 'UNPROCESSABLE',
  'CLAIM.CLIENT_ERASED': 'UNPROCESSABLE',
  'CLAIM.INVALID_TRANSITION': 'UNPROCESSABLE',
  'CLAIM.ID_CONFLICT': 'CONFLICT',
  'CASE.NOT_FOUND': 'NOT_FOUND',
  'CASE.PARTNER_MESSAGE_INVALID': 'UNPROCESSABLE',
  'CASE.PARTNER_SOURCE_MISMATCH': 'FORBIDDEN',
  'CLAIM.ACTION_NOT_FOUND': 'NOT_FOUND',
  'CLAIM.ACTION_CLOSED': 'UNPROCESSABLE',
  'CONVERSATION.NOT_FOUND': 'NOT_FOUND',
  'CONVERSATION.NOT_A_BOT_CONVERSATION': 'UNPROCESSABLE',
  'CONVERSATION.ERASED': 'UNPROCESSABLE',
  'CONVERSATION.CLAIM_ERASED': 'UNPROCESSABLE',
  'CONVERSATION.CONCURRENT_UPDATE': 'CONFLICT',
  'CONVERSATION.NOT_WITH_ADVISOR': 'CONFLICT',
  'CONVERSATION.NOT_HOLDER': 'FORBIDDEN',
  'CONVERSATION.NOT_A_PARTICIPANT': 'FORBIDDEN',
  'VOICE.TRANSCRIPTION_UNAVAILABLE': 'UNAVAILABLE',
  'REIMBURSEMENT.NOT_FOUND': 'NOT_FOUND',
  'REIMBURSEMENT.INVALID_TRANSITION': 'UNPROCESSABLE',
  'REIMBURSEMENT.ALREADY_FINAL': 'UNPROCESSABLE',
  'REIMBURSEMENT.FIELD_NOT_EDITABLE': 'UNPROCESSABLE',
  'REIMBURSEMENT.INVALID_AMOUNT': 'INVALID',
  'REIMBURSEMENT.NEGATIVE_AMOUNT': 'INVALID',
  'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM': 'UNPROCESSABLE',
  'REIMBURSEMENT.DEDUCTIBLE_EXCEEDS_AMOUNT': 'UNPROCESSABLE',
  'REIMBURSEMENT.AMOUNT_ACCEPTED_REQUIRED': 'INVALID',
  'REIMBURSEMENT.REJECTION_REASON_REQUIRED': 'INVALID',
  'REIMBURSEMENT.OVERRIDE_REASON_REQUIRED': 'INVALID',
  'REIMBURSEMENT.PAYMENT_METHOD_REQUIRED': 'INVALID',
  'REIMBURSEMENT.CLIENT_ERASED': 'UNPROCESSABLE',
  'REIMBURSEMENT.CORRUPT_ROW': 'INTERNAL',
  'ESCALATION.NOT_FOUND': 'NOT_FOUND',
  'ESCALATION.ALREADY_RESOLVED': 'UNPROCESSABLE',
  'ESCALATION.NOT_ASSIGNED': 'UNPROCESSABLE',
  'ESCALATION.ADVISOR_UNAVAILABLE': 'UNPROCESSABLE',
  'ESCALATION.ADVISOR_AT_CAPACITY': 'UNPROCESSABLE',
  'ESCALATION.CONFLICT': 'CONFLICT',
  'ESCALATION.CORRUPT_ROW': 'INTERNAL',
  'ADVISOR.NOT_FOUND': 'NOT_FOUND',
  'ADVISOR.EMAIL_TAKEN': 'CONFLICT',
};

/** graphql-js's and Apollo's own codes the gateway lets through (errors.ts SAFE_CODES). */
const GRAPHQL_CODES: Readonly<Record<string, { code: string; kind: ErrorKind }>> = {
  // a variable the graph's types refuse (a Decimal out of range...): the body's fault
  BAD_USER_INPUT: { code: 'VALIDATION.FAILED', kind: 'INVALID' },
  // the facade's own documents are valid: only the operation limits can refuse them
  GRAPHQL_VALIDATION_FAILED: { code: 'INTERNAL', kind: 'INTERNAL' },
  GRAPHQL_PARSE_FAILED: { code: 'INTERNAL', kind: 'INTERNAL' },
};

const TITLES: Record<ErrorKind, string> = {
  INVALID: 'Bad Request',
  UNAUTHENTICATED: 'Unauthorized',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not Found',
  CONFLICT: 'Conflict',
  UNPROCESSABLE: 'Unprocessable Content',
  TOO_LARGE: 'Content Too Large',
  RATE_LIMITED: 'Too Many Requests',
  UNAVAILABLE: 'Service Unavailable',
  INTERNAL: 'Internal Server Error',
};

export interface FieldError {
  /** the seed's field name (nom, date_sinistre...) or the parameter */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  errors?: FieldError[];
  /** INTERNAL: finds the failure in the logs */
  error_id?: string;
}

/** The kind of a code: the catalogs', then the naming convention for a code none declares. */
export function kindOf(code: string): ErrorKind {
  const common = (COMMON_ERRORS as Record<string, { kind: ErrorKind } | undefined>)[code];
  if (common) return common.kind;
  const rest = (REST_ERRORS as Record<string, { kind: ErrorKind } | undefined>)[code];
  if (rest) return rest.kind;
  const domain = DOMAIN_ERROR_KINDS[code];
  if (domain) return domain;
  const graphql = GRAPHQL_CODES[code];
  if (graphql) return graphql.kind;
  if (code.endsWith('.NOT_FOUND')) return 'NOT_FOUND';
  if (code.startsWith('AUTH.')) return 'FORBIDDEN';
  return 'UNPROCESSABLE';
}

/** The HTTP status of a code (httpStatus of its kind; VALIDATION.FAILED and the preconditions apart). */
export function statusOf(code: string): number {
  switch (code) {
    case 'VALIDATION.FAILED':
    case 'BAD_USER_INPUT':
      return 422;
    case 'PRECONDITION.REQUIRED':
      return 428;
    // WRITE.STALE: the record changed between the If-Match check and the write (the service
    // checked the version it was given under the row's lock): the same answer as a stale If-Match
    case 'PRECONDITION.FAILED':
    case 'WRITE.STALE':
      return 412;
    case 'REQUEST.METHOD_NOT_ALLOWED':
      return 405;
    case 'REQUEST.UNSUPPORTED_MEDIA_TYPE':
      return 415;
    default:
      return httpStatus(kindOf(code));
  }
}

/** The stable code a client sees for a code the graph answered (graphql-js's become ours). */
export const publicCode = (code: string): string => GRAPHQL_CODES[code]?.code ?? code;

export function problem(
  code: string,
  detail: string,
  instance: string,
  extra: { errors?: FieldError[]; errorId?: string } = {},
): Problem {
  const shown = publicCode(code);
  const status = statusOf(code);
  const title =
    status === 422
      ? 'Unprocessable Content'
      : status === 428
        ? 'Precondition Required'
        : status === 412
          ? 'Precondition Failed'
          : status === 405
            ? 'Method Not Allowed'
            : status === 415
              ? 'Unsupported Media Type'
              : TITLES[kindOf(code)];
  return {
    type: `urn:crm:problem:${shown.toLowerCase()}`,
    title,
    status,
    detail,
    code: shown,
    instance,
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
    ...(extra.errorId ? { error_id: extra.errorId } : {}),
  };
}

export function sendProblem(res: ServerResponse, p: Problem, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(p.status, { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(p));
}
