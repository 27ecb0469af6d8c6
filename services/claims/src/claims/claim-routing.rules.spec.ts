// Where the lifecycle takes a claim by itself (claim-routing.rules.ts), case by case.
import { euros, routeCause, routeDocumentsReceived, routeOpened } from './claim-routing.rules';

const cci = (score: number) => ({ score, autonomousBelow: 40, escalateAbove: 60 });

describe('routeOpened: a claim just opened', () => {
  it('autonomous -> IN_PROGRESS, with the score in the reason', () => {
    expect(routeOpened('AUTONOMOUS', true, cci(25))).toEqual({
      to: 'IN_PROGRESS',
      reason: 'Traitement automatique : CCI de 25, inférieur au seuil de 40',
    });
  });
  it('CCI between the thresholds (EXPERT) -> EXPERT_REVIEW', () => {
    expect(routeOpened('EXPERT', undefined, cci(50))).toEqual({
      to: 'EXPERT_REVIEW',
      reason: 'CCI de 50, entre 40 et 60 : expertise requise avant tout règlement',
    });
  });
  it('documents missing -> AWAITING_CLIENT, autonomous or expert', () => {
    expect(routeOpened('AUTONOMOUS', false, cci(35))?.to).toBe('AWAITING_CLIENT');
    expect(routeOpened('EXPERT', false, cci(45))?.to).toBe('AWAITING_CLIENT');
  });
  it('escalated: not routed (the escalation moved it)', () => {
    expect(routeOpened('ESCALATED', true, cci(70))).toBeNull();
  });
});

describe('routeDocumentsReceived', () => {
  it('back to IN_PROGRESS, or to EXPERT_REVIEW for an expert claim', () => {
    expect(routeDocumentsReceived('AWAITING_CLIENT', 'AUTONOMOUS')).toEqual({
      to: 'IN_PROGRESS',
      reason: 'Documents reçus : reprise du traitement',
    });
    expect(routeDocumentsReceived('AWAITING_CLIENT', 'EXPERT')?.to).toBe('EXPERT_REVIEW');
  });
  it('a claim not waiting for documents does not move', () => {
    expect(routeDocumentsReceived('IN_PROGRESS', 'AUTONOMOUS')).toBeNull();
    expect(routeDocumentsReceived('ESCALATED', null)).toBeNull();
  });
});

describe('routeCause: other domains\u2019 facts', () => {
  it('an advisor takes the escalation: ESCALATED -> IN_PROGRESS, nothing from elsewhere', () => {
    expect(routeCause('ESCALATED', { kind: 'ESCALATION_STARTED' })).toEqual({
      to: 'IN_PROGRESS',
      reason: 'Pris en charge par un conseiller',
    });
    expect(routeCause('VALIDATION', { kind: 'ESCALATION_STARTED' })).toBeNull();
  });
  it('an accepted reimbursement -> VALIDATION, « Montant validé » with the amounts', () => {
    expect(
      routeCause('IN_PROGRESS', {
        kind: 'REIMBURSEMENT_ACCEPTED',
        acceptedCents: 120000,
        deductibleCents: 30000,
      }),
    ).toEqual({
      to: 'VALIDATION',
      reason: 'Montant validé : 1\u202f200,00 € accepté, franchise 300,00 €, 900,00 € à verser',
    });
    expect(
      routeCause('ESCALATED', { kind: 'REIMBURSEMENT_ACCEPTED', acceptedCents: 1, deductibleCents: 0 })?.to,
    ).toBe('VALIDATION');
    // the lifecycle does not allow VALIDATION from NEW or AWAITING_CLIENT: the claim stays
    expect(
      routeCause('AWAITING_CLIENT', { kind: 'REIMBURSEMENT_ACCEPTED', acceptedCents: 1, deductibleCents: 0 }),
    ).toBeNull();
  });
  it('the payment -> CLOSED; from CLOSED nothing', () => {
    expect(
      routeCause('VALIDATION', {
        kind: 'REIMBURSEMENT_SETTLED',
        paidCents: 90000,
        paymentMethod: 'BANK_TRANSFER',
      }),
    ).toEqual({
      to: 'CLOSED',
      reason: 'Remboursement versé : 900,00 € par virement',
    });
    expect(
      routeCause('CLOSED', { kind: 'REIMBURSEMENT_SETTLED', paidCents: 1, paymentMethod: 'CHEQUE' }),
    ).toBeNull();
  });
  it('a rejection closes the claim with the reason, where the lifecycle allows it', () => {
    expect(routeCause('IN_PROGRESS', { kind: 'REIMBURSEMENT_REJECTED', reason: 'Contrat suspendu' })).toEqual(
      {
        to: 'CLOSED',
        reason: 'Remboursement refusé : Contrat suspendu',
      },
    );
    expect(routeCause('EXPERT_REVIEW', { kind: 'REIMBURSEMENT_REJECTED', reason: 'x' })?.to).toBe('CLOSED');
    expect(routeCause('CLOSED', { kind: 'REIMBURSEMENT_REJECTED', reason: 'x' })).toBeNull();
  });
  it('euros: French grouping and decimals', () => {
    expect(euros(5)).toBe('0,05 €');
    expect(euros(123456789)).toBe('1\u202f234\u202f567,89 €');
  });
});
