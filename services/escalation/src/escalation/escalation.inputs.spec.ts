import { parseInput } from '@crm/subgraph';
import { escalateClaimInput } from './escalation.inputs';

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; problems: { field: string }[] };
    return { code: e.code, fields: e.problems.map((p) => p.field).sort() };
  }
  return undefined;
};
const id = '6f1c3b8e-4a0e-4c55-9a38-0f4b4d2f3a11';

describe('escalation inputs', () => {
  it('validates an escalation, reporting every problem', () => {
    expect(parseInput(escalateClaimInput, { claimId: id, reasons: ['INJURIES'], clientId: null })).toEqual({
      claimId: id,
      clientId: undefined,
      reasons: ['INJURIES'],
      cciScore: undefined,
    });
    expect(
      problemsOf(() =>
        parseInput(escalateClaimInput, { claimId: 'x', reasons: [], cciScore: 101, clientId: 'y' }),
      ),
    ).toEqual({ code: 'VALIDATION.FAILED', fields: ['cciScore', 'claimId', 'clientId', 'reasons'] });
    expect(problemsOf(() => parseInput(escalateClaimInput, { claimId: id, reasons: ['  '] }))).toEqual({
      code: 'VALIDATION.FAILED',
      fields: ['reasons.0'],
    });
  });
});
