import { parseInput } from '@crm/subgraph';
import { problemsOf } from '@crm/testing';
import { escalateClaimInput } from './escalation.inputs';

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
