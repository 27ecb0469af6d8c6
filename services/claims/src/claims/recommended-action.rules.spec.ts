import { DomainError } from '@crm/subgraph';
import {
  decideActionStatus,
  dueAtOf,
  overdueReason,
  readsRecordedKinds,
  reconcileActions,
  type ActionFacts,
} from './recommended-action.rules';

const now = new Date('2030-01-02T10:00:00Z');
const action = (status: 'PENDING' | 'IN_PROGRESS' | 'DONE' | 'IGNORED') => ({
  id: 'a1',
  status,
  executedAt: status === 'DONE' ? new Date('2030-01-01T09:00:00Z') : null,
});

describe('decideActionStatus', () => {
  it('records when an action was done, and that an ignored one never was', () => {
    expect(decideActionStatus(action('PENDING'), 'DONE', now)).toEqual({ status: 'DONE', executedAt: now });
    expect(decideActionStatus(action('IN_PROGRESS'), 'DONE', now)).toEqual({
      status: 'DONE',
      executedAt: now,
    });
    expect(decideActionStatus(action('PENDING'), 'IGNORED', now)).toEqual({
      status: 'IGNORED',
      executedAt: null,
    });
    expect(decideActionStatus(action('PENDING'), 'IN_PROGRESS', now)).toEqual({
      status: 'IN_PROGRESS',
      executedAt: null,
    });
  });

  it('changes nothing when the action already stands there (a double click)', () => {
    expect(decideActionStatus(action('DONE'), 'DONE', now)).toBeNull();
    expect(decideActionStatus(action('IGNORED'), 'IGNORED', now)).toBeNull();
  });

  it('refuses to move a done or ignored action: CLAIM.ACTION_CLOSED', () => {
    for (const [from, to] of [
      ['DONE', 'IGNORED'],
      ['IGNORED', 'DONE'],
      ['DONE', 'IN_PROGRESS'],
    ] as const) {
      let caught: unknown;
      try {
        decideActionStatus(action(from), to, now);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).code).toBe('CLAIM.ACTION_CLOSED');
    }
  });
});

describe('actions follow the facts (issue 19)', () => {
  const facts = (over: Partial<ActionFacts> = {}): ActionFacts => ({
    status: 'IN_PROGRESS',
    constatReceived: null,
    photoUrls: null,
    recordedKinds: [],
    lastCause: null,
    ...over,
  });
  const constat = { id: 'a1', type: 'envoyer_constat', status: 'PENDING' as const };
  const info = { id: 'a2', type: 'info_client', status: 'IN_PROGRESS' as const };

  it('a constat received retires envoyer_constat (done, with its number)', () => {
    expect(reconcileActions(facts({ constatReceived: 'C-9' }), [constat]).close).toEqual([
      { id: 'a1', status: 'DONE', reason: 'Constat reçu (n° C-9)' },
    ]);
    expect(reconcileActions(facts(), [constat])).toEqual({ add: [], close: [] });
  });
  it('reads the recorded kinds only for an open info_client (the service loads them only then)', () => {
    expect(readsRecordedKinds([constat, info])).toBe(true);
    const without = [
      [],
      [constat],
      [{ ...info, status: 'DONE' as const }],
      [{ ...info, status: 'IGNORED' as const }],
    ];
    for (const actions of without) {
      expect(readsRecordedKinds(actions)).toBe(false);
      for (const status of ['NEW', 'IN_PROGRESS', 'EXPERT_REVIEW', 'VALIDATION', 'CLOSED'] as const)
        expect(reconcileActions(facts({ status, recordedKinds: ['DOCUMENTS_RECEIVED'] }), actions)).toEqual(
          reconcileActions(facts({ status, recordedKinds: [] }), actions),
        );
    }
  });

  it('documents received (photos, or recorded by hand) retire info_client', () => {
    expect(reconcileActions(facts({ photoUrls: ['p.jpg'] }), [info]).close).toEqual([
      { id: 'a2', status: 'DONE', reason: 'Documents reçus' },
    ]);
    expect(reconcileActions(facts({ recordedKinds: ['DOCUMENTS_RECEIVED'] }), [info]).close).toHaveLength(1);
    // a closed action is not closed again
    expect(reconcileActions(facts({ photoUrls: ['p.jpg'] }), [{ ...info, status: 'DONE' }]).close).toEqual(
      [],
    );
  });
  it('expert review adds expertise, a validated amount adds paiement, each once', () => {
    expect(reconcileActions(facts({ status: 'EXPERT_REVIEW' }), []).add.map((a) => a.type)).toEqual([
      'expertise',
    ]);
    expect(
      reconcileActions(facts({ status: 'EXPERT_REVIEW' }), [
        { id: 'x', type: 'expertise', status: 'IGNORED' },
      ]).add,
    ).toEqual([]);
    expect(reconcileActions(facts({ status: 'VALIDATION' }), []).add).toEqual([
      { type: 'paiement', priority: 'haute', description: 'Verser le remboursement du montant validé' },
    ]);
  });
  it('a closed claim: paiement done when the reimbursement was paid, everything else still open ignored', () => {
    const pay = { id: 'p', type: 'paiement', status: 'PENDING' as const };
    expect(
      reconcileActions(facts({ status: 'CLOSED', lastCause: 'ReimbursementSettled' }), [pay, constat]).close,
    ).toEqual([
      { id: 'p', status: 'DONE', reason: 'Remboursement versé' },
      { id: 'a1', status: 'IGNORED', reason: 'Dossier fermé' },
    ]);
    expect(reconcileActions(facts({ status: 'CLOSED' }), [pay]).close).toEqual([
      { id: 'p', status: 'IGNORED', reason: 'Dossier fermé' },
    ]);
  });
  it('due dates by priority, and the overdue reason', () => {
    const t = new Date('2026-03-01T10:00:00Z');
    expect(dueAtOf('haute', t).toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(dueAtOf('normale', t).toISOString()).toBe('2026-03-06T10:00:00.000Z');
    expect(dueAtOf('basse', t).toISOString()).toBe('2026-03-11T10:00:00.000Z');
    expect(overdueReason('Envoyer le constat', 'envoyer_constat', t)).toBe(
      'Action en retard : Envoyer le constat (échéance du 01/03/2026 dépassée)',
    );
  });
});
