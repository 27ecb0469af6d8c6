import { COMMON_ERRORS, defineErrors, httpStatus, type ErrorKind } from './error-codes';
import { DomainError } from './errors';

const { error, notFound, catalog } = defineErrors({
  'THING.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no thing' },
  'THING.BROKEN': { kind: 'UNPROCESSABLE', meaning: 'the thing is broken' },
} as const);

describe('error catalogs', () => {
  it("raise a domain's declared codes and the common ones, with message and details", () => {
    const e = error('THING.BROKEN', 'the thing is broken', { id: 't-1' });
    expect(e).toBeInstanceOf(DomainError);
    expect([e.code, e.message, e.details]).toEqual(['THING.BROKEN', 'the thing is broken', { id: 't-1' }]);
    expect(error('VALIDATION.FAILED', 'x').code).toBe('VALIDATION.FAILED');
    expect(catalog['THING.NOT_FOUND'].kind).toBe('NOT_FOUND');
  });

  it('say which entity was not found, under its declared code', () => {
    const e = notFound('thing', 'abc');
    expect([e.code, e.message, e.details]).toEqual(['THING.NOT_FOUND', 'thing abc not found', { id: 'abc' }]);
  });

  it('map every kind to its HTTP status', () => {
    const kinds: Record<ErrorKind, number> = {
      INVALID: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      CONFLICT: 409,
      TOO_LARGE: 413,
      UNPROCESSABLE: 422,
      RATE_LIMITED: 429,
      UNAVAILABLE: 503,
      INTERNAL: 500,
    };
    for (const [kind, status] of Object.entries(kinds)) expect(httpStatus(kind as ErrorKind)).toBe(status);
    for (const spec of Object.values(COMMON_ERRORS))
      expect(httpStatus(spec.kind)).toBeGreaterThanOrEqual(400);
  });
});
