import { parseInput } from '@crm/subgraph';
import { problemsOf } from '@crm/testing';
import { createReimbursementInput, updateReimbursementInput } from './reimbursement.inputs';

describe('reimbursement inputs', () => {
  const claimId = '6f1c3b8e-4a0e-4c55-9a38-0f4b4d2f3a11';

  it('accepts a well-formed creation', () => {
    expect(
      parseInput(createReimbursementInput, { claimId, amountClaimed: '120.5', paymentMethod: null }),
    ).toEqual({ claimId, amountClaimed: '120.5', paymentMethod: undefined });
  });

  it('reports every field problem at once', () => {
    expect(
      problemsOf(() =>
        parseInput(createReimbursementInput, { claimId: 'nope', amountClaimed: '0', paymentMethod: 'CASH' }),
      ),
    ).toEqual({ code: 'VALIDATION.FAILED', fields: ['amountClaimed', 'claimId', 'paymentMethod'] });
    expect(
      problemsOf(() =>
        parseInput(updateReimbursementInput, {
          id: claimId,
          deductibleApplied: '-5',
          amountAccepted: '1.234',
          rejectionReason: '  ',
          status: 'DONE',
        }),
      ),
    ).toEqual({
      code: 'VALIDATION.FAILED',
      fields: ['amountAccepted', 'deductibleApplied', 'rejectionReason', 'status'],
    });
  });

  it('treats null as "leave as is" in updates', () => {
    expect(parseInput(updateReimbursementInput, { id: claimId, status: null, amountAccepted: null })).toEqual(
      {
        id: claimId,
        status: undefined,
        amountClaimed: undefined,
        amountAccepted: undefined,
        deductibleApplied: undefined,
        rejectionReason: undefined,
        paymentMethod: undefined,
      },
    );
  });
});
