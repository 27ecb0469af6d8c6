import fc from 'fast-check';
import { type ReimbursementStatus } from './reimbursement.mapping';
import {
  TRANSITIONS,
  amountPaidCents,
  decideUpdate,
  newReimbursement,
  type ReimbursementState,
} from './reimbursement.rules';

const now = new Date('2026-03-01T10:00:00.000Z');
const pending = (over: Partial<ReimbursementState> = {}): ReimbursementState => ({
  ...newReimbursement({ amountClaimed: '2500' }),
  ...over,
});
const accepted = (over: Partial<ReimbursementState> = {}): ReimbursementState =>
  pending({
    status: 'ACCEPTED',
    amountAccepted: '2000.00',
    deductibleApplied: '150.00',
    acceptedAt: new Date('2026-02-01T00:00:00.000Z'),
    ...over,
  });
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('newReimbursement', () => {
  it('starts PENDING with the claimed amount normalised to cents', () => {
    expect(newReimbursement({ amountClaimed: '2500', paymentMethod: 'CHEQUE' })).toEqual({
      status: 'PENDING',
      amountClaimed: '2500.00',
      amountAccepted: null,
      deductibleApplied: null,
      rejectionReason: null,
      paymentMethod: 'CHEQUE',
      acceptedAt: null,
      paidAt: null,
    });
  });
  it('refuses a zero claim', () => {
    expect(code(() => newReimbursement({ amountClaimed: '0' }))).toBe('REIMBURSEMENT.INVALID_AMOUNT');
  });
});

describe('decideUpdate: the lifecycle', () => {
  it('accepts a pending reimbursement, stamping date_acceptation and a zero deductible by default', () => {
    const d = decideUpdate(pending(), { status: 'ACCEPTED', amountAccepted: '2400.5' }, now);
    expect(d.transition).toBe('ACCEPTED');
    expect(d.next).toMatchObject({
      status: 'ACCEPTED',
      amountAccepted: '2400.50',
      deductibleApplied: '0.00',
      acceptedAt: now,
      paidAt: null,
    });
  });

  it('pays an accepted reimbursement, stamping date_paiement, and computes the net amount', () => {
    const d = decideUpdate(accepted(), { status: 'PAID', paymentMethod: 'BANK_TRANSFER' }, now);
    expect(d.transition).toBe('PAID');
    expect(d.next).toMatchObject({ status: 'PAID', paidAt: now, paymentMethod: 'BANK_TRANSFER' });
    expect(d.next.acceptedAt).toEqual(new Date('2026-02-01T00:00:00.000Z'));
    expect(amountPaidCents(d.next)).toBe(185000);
  });

  it('rejects from PENDING and from ACCEPTED with a reason', () => {
    for (const from of [pending(), accepted()]) {
      const d = decideUpdate(from, { status: 'REJECTED', rejectionReason: '  Garantie non souscrite ' }, now);
      expect(d.transition).toBe('REJECTED');
      expect(d.next.rejectionReason).toBe('Garantie non souscrite');
    }
  });

  it('refuses a rejection without a reason', () => {
    expect(code(() => decideUpdate(pending(), { status: 'REJECTED' }, now))).toBe(
      'REIMBURSEMENT.REJECTION_REASON_REQUIRED',
    );
    expect(code(() => decideUpdate(pending(), { status: 'REJECTED', rejectionReason: '   ' }, now))).toBe(
      'REIMBURSEMENT.REJECTION_REASON_REQUIRED',
    );
  });

  it.each<[ReimbursementStatus, ReimbursementStatus]>([
    ['PENDING', 'PAID'],
    ['ACCEPTED', 'PENDING'],
    ['PAID', 'REJECTED'],
    ['PAID', 'ACCEPTED'],
    ['REJECTED', 'ACCEPTED'],
    ['REJECTED', 'PENDING'],
  ])('refuses %s -> %s with REIMBURSEMENT.INVALID_TRANSITION', (from, to) => {
    const state = from === 'PENDING' ? pending() : accepted({ status: from, rejectionReason: 'x' });
    expect(
      code(() =>
        decideUpdate(
          state,
          { status: to, amountAccepted: '10', rejectionReason: 'x', paymentMethod: 'CHEQUE' },
          now,
        ),
      ),
    ).toBe('REIMBURSEMENT.INVALID_TRANSITION');
  });

  it('follows the transition table for every pair of statuses', () => {
    const all: ReimbursementStatus[] = ['PENDING', 'ACCEPTED', 'PAID', 'REJECTED'];
    for (const from of all)
      for (const to of all) {
        if (from === to) continue;
        const state = from === 'PENDING' ? pending() : accepted({ status: from });
        const fields = {
          PENDING: {},
          ACCEPTED: { amountAccepted: '100' },
          PAID: { paymentMethod: 'CHEQUE' as const },
          REJECTED: { rejectionReason: 'motif' },
        }[to];
        const result = code(() => decideUpdate(state, { status: to, ...fields }, now));
        if (TRANSITIONS[from].includes(to)) expect(result).toBeUndefined();
        else expect(result).toBe('REIMBURSEMENT.INVALID_TRANSITION');
      }
  });
});

describe('decideUpdate: amounts', () => {
  it('needs the accepted amount to accept', () => {
    expect(code(() => decideUpdate(pending(), { status: 'ACCEPTED' }, now))).toBe(
      'REIMBURSEMENT.AMOUNT_ACCEPTED_REQUIRED',
    );
  });

  it('never accepts more than was claimed (to the cent)', () => {
    expect(code(() => decideUpdate(pending(), { status: 'ACCEPTED', amountAccepted: '2500.01' }, now))).toBe(
      'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM',
    );
    expect(
      decideUpdate(pending(), { status: 'ACCEPTED', amountAccepted: '2500.00' }, now).next.amountAccepted,
    ).toBe('2500.00');
    // lowering the claim under an accepted amount is the same violation
    expect(code(() => decideUpdate(accepted(), { amountClaimed: '1999.99' }, now))).toBe(
      'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM',
    );
  });

  it('keeps the deductible between zero and the accepted amount', () => {
    expect(
      code(() =>
        decideUpdate(pending(), { status: 'ACCEPTED', amountAccepted: '100', deductibleApplied: '-1' }, now),
      ),
    ).toBe('REIMBURSEMENT.NEGATIVE_AMOUNT');
    expect(
      code(() =>
        decideUpdate(
          pending(),
          { status: 'ACCEPTED', amountAccepted: '100', deductibleApplied: '100.01' },
          now,
        ),
      ),
    ).toBe('REIMBURSEMENT.DEDUCTIBLE_EXCEEDS_AMOUNT');
  });

  it('property: whatever the amounts, an accepted state has 0 <= deductible <= accepted <= claimed', () => {
    const cents = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(
      fc.property(cents, cents, cents, (claimed, acceptedCents, deductible) => {
        const from = pending({ amountClaimed: (Math.max(claimed, 1) / 100).toFixed(2) });
        try {
          const { next } = decideUpdate(
            from,
            {
              status: 'ACCEPTED',
              amountAccepted: (acceptedCents / 100).toFixed(2),
              deductibleApplied: (deductible / 100).toFixed(2),
            },
            now,
          );
          const paid = amountPaidCents(next);
          return paid >= 0 && acceptedCents <= Math.max(claimed, 1) && deductible <= acceptedCents;
        } catch (err) {
          const c = (err as { code: string }).code;
          return (
            (c === 'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM' && acceptedCents > Math.max(claimed, 1)) ||
            (c === 'REIMBURSEMENT.DEDUCTIBLE_EXCEEDS_AMOUNT' && deductible > acceptedCents)
          );
        }
      }),
    );
  });
});

describe('decideUpdate: fields and no-ops', () => {
  it('edits a pending request without a transition and names the changed fields', () => {
    const d = decideUpdate(pending(), { amountClaimed: '2600', paymentMethod: 'CHEQUE' }, now);
    expect(d.transition).toBeNull();
    expect(d.changedFields).toEqual(['amountClaimed', 'paymentMethod']);
    expect(d.next.amountClaimed).toBe('2600.00');
  });

  it('treats a repeated request as unchanged (retries are harmless)', () => {
    const d = decideUpdate(pending(), { status: 'PENDING', amountClaimed: '2500.0' }, now);
    expect(d.unchanged).toBe(true);
    expect(d.next).toEqual(pending());
  });

  it('refuses fields that do not belong to the target status', () => {
    expect(code(() => decideUpdate(pending(), { amountAccepted: '10' }, now))).toBe(
      'REIMBURSEMENT.FIELD_NOT_EDITABLE',
    );
    expect(code(() => decideUpdate(pending(), { rejectionReason: 'non' }, now))).toBe(
      'REIMBURSEMENT.FIELD_NOT_EDITABLE',
    );
    expect(code(() => decideUpdate(accepted(), { status: 'PAID', amountAccepted: '10' }, now))).toBe(
      'REIMBURSEMENT.FIELD_NOT_EDITABLE',
    );
  });

  it('freezes PAID and REJECTED reimbursements', () => {
    const paid = accepted({ status: 'PAID', paymentMethod: 'CHEQUE', paidAt: now });
    expect(code(() => decideUpdate(paid, { paymentMethod: 'BANK_TRANSFER' }, now))).toBe(
      'REIMBURSEMENT.ALREADY_FINAL',
    );
    const rejected = pending({ status: 'REJECTED', rejectionReason: 'non couvert' });
    expect(code(() => decideUpdate(rejected, { rejectionReason: 'autre' }, now))).toBe(
      'REIMBURSEMENT.ALREADY_FINAL',
    );
  });

  it('needs a payment method to pay', () => {
    expect(code(() => decideUpdate(accepted(), { status: 'PAID' }, now))).toBe(
      'REIMBURSEMENT.PAYMENT_METHOD_REQUIRED',
    );
    // one recorded at creation is enough
    expect(decideUpdate(accepted({ paymentMethod: 'CHEQUE' }), { status: 'PAID' }, now).transition).toBe(
      'PAID',
    );
  });
});
