import { ValidationError, parseInput } from '@crm/subgraph';
import { claimsFilterSchema, parseOpenClaim, parseUpdateClaim, recordActivitySchema } from './claim.inputs';

const now = new Date('2026-02-04T09:00:00Z');
const valid = {
  clientId: '11111111-1111-4111-8111-111111111111',
  contractId: '22222222-2222-4222-8222-222222222222',
  occurredAt: new Date('2026-02-02T14:30:00Z'),
  type: 'COLLISION',
};

const problemsOf = (fn: () => unknown): { field: string; message: string }[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a ValidationError');
};

describe('openClaim input', () => {
  it('accepts a minimal declaration and normalises amounts to two decimals', () => {
    expect(parseOpenClaim({ ...valid, estimatedDamage: '2500' }, now).estimatedDamage).toBe('2500.00');
    expect(parseOpenClaim({ ...valid, estimatedDamage: '0012.5' }, now).estimatedDamage).toBe('12.50');
    expect(parseOpenClaim({ ...valid, description: '  fuite  ' }, now).description).toBe('fuite');
  });

  it('lists every problem at once, field errors and contradictions together, with code VALIDATION.FAILED', () => {
    let error: unknown;
    try {
      parseOpenClaim(
        {
          ...valid,
          clientId: 'x',
          type: 'FLOOD',
          occurredAt: new Date('2026-03-01T00:00:00Z'),
          thirdPartyInvolved: false,
          thirdPartyName: 'M. Martin',
          policeReport: false,
          policeReportNumber: 'PV-1',
          thirdPartyContact: '0'.repeat(21),
          photoUrls: ['javascript:alert(1)'],
          estimatedDamage: '-3',
        },
        now,
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION.FAILED');
    expect((error as ValidationError).problems.map((p) => p.field).sort()).toEqual(
      [
        'clientId',
        'type',
        'occurredAt',
        'thirdPartyName',
        'thirdPartyContact',
        'thirdPartyContact',
        'policeReportNumber',
        'photoUrls.0',
        'estimatedDamage',
      ].sort(),
    );
  });

  it('requires the client, the contract, the date and the type', () => {
    expect(
      problemsOf(() => parseOpenClaim({}, now))
        .map((p) => p.field)
        .sort(),
    ).toEqual(['clientId', 'contractId', 'occurredAt', 'type'].sort());
  });
});

describe('updateClaim input', () => {
  it('keeps absent fields absent and null as "clear"', () => {
    const parsed = parseUpdateClaim({ id: valid.clientId, location: null }, now);
    expect(parsed).toEqual({ id: valid.clientId, location: null });
  });

  it('refuses to clear the type or the date of the event', () => {
    expect(
      problemsOf(() => parseUpdateClaim({ id: valid.clientId, type: null, occurredAt: null }, now))
        .map((p) => p.field)
        .sort(),
    ).toEqual(['occurredAt', 'type']);
  });
});

describe('claims filter', () => {
  it('checks the CCI range', () => {
    expect(claimsFilterSchema.safeParse({ cciMin: 60, cciMax: 100 }).success).toBe(true);
    expect(claimsFilterSchema.safeParse({ cciMin: 80, cciMax: 20 }).success).toBe(false);
    expect(claimsFilterSchema.safeParse({ cciMin: 101 }).success).toBe(false);
    expect(claimsFilterSchema.safeParse({ status: 'OPEN' }).success).toBe(false);
  });
});

describe('recordActivitySchema', () => {
  const at = new Date('2026-03-01T10:00:00Z');
  const claimId = '11111111-1111-4111-8111-111111111111';
  const problems = (raw: unknown) => {
    try {
      parseInput(recordActivitySchema(at), raw);
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).problems.map((p) => p.field);
    }
  };

  it('accepts a recordable kind with an optional detail and a past instant', () => {
    const input = parseInput(recordActivitySchema(at), {
      claimId,
      kind: 'LETTER_SENT',
      detail: '  Courrier de prise en charge ',
      at: '2026-02-28T09:00:00Z',
    });
    expect(input).toEqual({
      claimId,
      kind: 'LETTER_SENT',
      detail: 'Courrier de prise en charge',
      at: new Date('2026-02-28T09:00:00Z'),
    });
  });

  it('refuses every problem at once: not a UUID, a derived kind, a too long detail, a future instant', () => {
    expect(
      problems({
        claimId: 'x',
        kind: 'AMOUNT_VALIDATED',
        detail: 'a'.repeat(501),
        at: '2026-03-02T10:00:00Z',
      }),
    ).toEqual(expect.arrayContaining(['claimId', 'kind', 'detail', 'at']));
  });
});
