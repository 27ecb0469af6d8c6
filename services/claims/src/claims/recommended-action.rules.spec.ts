import { DomainError } from '@crm/subgraph';
import { decideActionStatus } from './recommended-action.rules';

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
