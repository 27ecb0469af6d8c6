import { DomainError } from '@crm/subgraph';
import { CLAIM_STATUSES, type ClaimStatus } from './claim.mapping';
import { CLAIM_TRANSITIONS, assertTransition, canTransition } from './claim-lifecycle.rules';

const ALLOWED: [ClaimStatus, ClaimStatus][] = [
  ['NEW', 'IN_PROGRESS'],
  ['NEW', 'ESCALATED'],
  ['NEW', 'AWAITING_CLIENT'],
  ['NEW', 'EXPERT_REVIEW'],
  ['IN_PROGRESS', 'EXPERT_REVIEW'],
  ['IN_PROGRESS', 'VALIDATION'],
  ['IN_PROGRESS', 'AWAITING_CLIENT'],
  ['IN_PROGRESS', 'ESCALATED'],
  ['IN_PROGRESS', 'CLOSED'],
  ['EXPERT_REVIEW', 'IN_PROGRESS'],
  ['EXPERT_REVIEW', 'VALIDATION'],
  ['EXPERT_REVIEW', 'AWAITING_CLIENT'],
  ['EXPERT_REVIEW', 'ESCALATED'],
  ['EXPERT_REVIEW', 'CLOSED'],
  ['VALIDATION', 'CLOSED'],
  ['VALIDATION', 'IN_PROGRESS'],
  ['VALIDATION', 'ESCALATED'],
  ['AWAITING_CLIENT', 'IN_PROGRESS'],
  ['AWAITING_CLIENT', 'EXPERT_REVIEW'],
  ['AWAITING_CLIENT', 'ESCALATED'],
  ['AWAITING_CLIENT', 'CLOSED'],
  ['ESCALATED', 'IN_PROGRESS'],
  ['ESCALATED', 'EXPERT_REVIEW'],
  ['ESCALATED', 'AWAITING_CLIENT'],
  ['ESCALATED', 'VALIDATION'],
  ['ESCALATED', 'CLOSED'],
];

describe('claim lifecycle', () => {
  it.each(ALLOWED)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition('c1', from, to)).not.toThrow();
  });

  it('allows exactly the documented table: every other pair is refused', () => {
    const allowed = new Set(ALLOWED.map(([f, t]) => `${f}->${t}`));
    let refused = 0;
    for (const from of CLAIM_STATUSES)
      for (const to of CLAIM_STATUSES) {
        expect(canTransition(from, to)).toBe(allowed.has(`${from}->${to}`));
        if (!allowed.has(`${from}->${to}`)) refused++;
      }
    // 49 pairs, 26 allowed; self-loops are not transitions
    expect(refused).toBe(23);
    expect(CLAIM_STATUSES.every((s) => !canTransition(s, s))).toBe(true);
  });

  it.each([
    ['NEW', 'CLOSED'],
    ['NEW', 'VALIDATION'],
    ['VALIDATION', 'EXPERT_REVIEW'],
    ['CLOSED', 'IN_PROGRESS'],
    ['CLOSED', 'ESCALATED'],
    ['IN_PROGRESS', 'NEW'],
  ] as [ClaimStatus, ClaimStatus][])(
    'refuses %s -> %s with CLAIM.INVALID_TRANSITION and from/to',
    (from, to) => {
      expect(canTransition(from, to)).toBe(false);
      let caught: unknown;
      try {
        assertTransition('c1', from, to);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect(caught).toMatchObject({
        code: 'CLAIM.INVALID_TRANSITION',
        details: { id: 'c1', from, to, allowed: [...CLAIM_TRANSITIONS[from]] },
      });
    },
  );

  it('makes CLOSED terminal and every other state able to reach CLOSED', () => {
    expect(CLAIM_TRANSITIONS.CLOSED).toEqual([]);
    const reachesClosed = (start: ClaimStatus): boolean => {
      const seen = new Set<ClaimStatus>([start]);
      const queue: ClaimStatus[] = [start];
      while (queue.length) {
        const s = queue.shift()!;
        for (const next of CLAIM_TRANSITIONS[s] as readonly ClaimStatus[]) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      return seen.has('CLOSED');
    };
    expect(CLAIM_STATUSES.filter((s) => s !== 'CLOSED').every(reachesClosed)).toBe(true);
  });
});
