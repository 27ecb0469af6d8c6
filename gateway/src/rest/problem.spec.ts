import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_ERRORS } from '@crm/subgraph';
import { problemOfGraphErrors } from './handler';
import { DOMAIN_ERROR_KINDS, kindOf, problem, statusOf } from './problem';
import { CLIENT_BODY } from './resources';

describe('problem details', () => {
  it('knows every domain code of docs/graph.md’s generated table with its kind', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'graph.md'), 'utf8');
    const table = doc.slice(doc.indexOf('<!-- error-codes:begin'), doc.indexOf('<!-- error-codes:end'));
    const rows = [...table.matchAll(/^\| `([A-Z_.]+)` \| ([A-Z_]+) \(\d+\) \|/gm)].map((m) => [m[1]!, m[2]!]);
    expect(rows.length).toBeGreaterThan(20);
    const domain = rows.filter(([code]) => !(code! in COMMON_ERRORS));
    expect(Object.fromEntries(domain)).toEqual(DOMAIN_ERROR_KINDS);
  });

  it('maps codes to the statuses HTTP clients expect', () => {
    expect(statusOf('AUTH.MISSING_TOKEN')).toBe(401);
    expect(statusOf('AUTH.FORBIDDEN')).toBe(403);
    expect(statusOf('CLAIM.NOT_FOUND')).toBe(404);
    expect(statusOf('SOMETHING.NOT_FOUND')).toBe(404);
    expect(statusOf('CLIENT.MATRICULE_TAKEN')).toBe(409);
    expect(statusOf('VALIDATION.FAILED')).toBe(422);
    expect(statusOf('BAD_USER_INPUT')).toBe(422);
    expect(statusOf('LIMIT.RATE')).toBe(429);
    expect(statusOf('LIMIT.COST')).toBe(400);
    expect(statusOf('PRECONDITION.REQUIRED')).toBe(428);
    expect(statusOf('PRECONDITION.FAILED')).toBe(412);
    expect(statusOf('IDEMPOTENCY.KEY_REUSED')).toBe(422);
    expect(statusOf('IDEMPOTENCY.IN_PROGRESS')).toBe(409);
    expect(statusOf('INTERNAL')).toBe(500);
    expect(kindOf('EVENT.INVALID_SCHEMA')).toBe('UNPROCESSABLE');
  });

  it('builds RFC 9457 members with the stable code', () => {
    expect(problem('CLAIM.NOT_FOUND', 'claim x not found', '/api/v1/sinistres/x')).toEqual({
      type: 'urn:crm:problem:claim.not_found',
      title: 'Not Found',
      status: 404,
      detail: 'claim x not found',
      code: 'CLAIM.NOT_FOUND',
      instance: '/api/v1/sinistres/x',
    });
  });

  it('turns the graph’s errors into one problem: auth first, fields named as in the seed', () => {
    const p = problemOfGraphErrors(
      [
        {
          message: 'lastName: required',
          extensions: {
            code: 'VALIDATION.FAILED',
            details: { problems: [{ field: 'lastName', message: 'required' }] },
          },
        },
        { message: 'nope', extensions: { code: 'AUTH.FORBIDDEN' } },
      ],
      '/api/v1/clients',
      CLIENT_BODY,
    );
    expect(p.code).toBe('AUTH.FORBIDDEN');
    const v = problemOfGraphErrors(
      [
        {
          message: 'lastName: required',
          extensions: {
            code: 'VALIDATION.FAILED',
            details: { problems: [{ field: 'lastName', message: 'required' }] },
          },
        },
      ],
      '/api/v1/clients',
      CLIENT_BODY,
    );
    expect(v).toMatchObject({ status: 422, errors: [{ field: 'nom', message: 'required' }] });
    const internal = problemOfGraphErrors(
      [{ message: 'Internal server error', extensions: { code: 'INTERNAL', errorId: 'e-1' } }],
      '/x',
    );
    expect(internal).toMatchObject({ status: 500, error_id: 'e-1' });
    expect(
      problemOfGraphErrors([{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }], '/x').code,
    ).toBe('VALIDATION.FAILED');
  });
});
