import {
  DEFAULT_STALL_DAYS,
  delayTrigger,
  isStalled,
  stallCutoff,
  type StallCandidate,
} from './claim-delay.rules';
import { planTriggers } from './claim-triggers.rules';

const DAY_MS = 86_400_000;
const now = new Date('2026-03-10T12:00:00.000Z');
const lastProgress = (ms: number) => new Date(now.getTime() - ms);
const claim = (over: Partial<StallCandidate> = {}): StallCandidate => ({
  status: 'IN_PROGRESS',
  archived: false,
  updatedAt: lastProgress(6 * DAY_MS),
  triggers: [],
  ...over,
});

describe('stall timer rules (seed « Délai > 5 jours → Escalade »)', () => {
  it('defaults to the seed threshold of 5 days', () => {
    expect(DEFAULT_STALL_DAYS).toBe(5);
    expect(stallCutoff(now).toISOString()).toBe('2026-03-05T12:00:00.000Z');
    expect(stallCutoff(now, 2).toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('fires strictly after 5 days without progress: exactly 5 days is not "more than"', () => {
    expect(isStalled(claim({ updatedAt: lastProgress(5 * DAY_MS) }), now)).toBe(false);
    expect(isStalled(claim({ updatedAt: lastProgress(5 * DAY_MS + 1) }), now)).toBe(true);
    expect(isStalled(claim({ updatedAt: lastProgress(5 * DAY_MS - 1) }), now)).toBe(false);
    expect(isStalled(claim({ updatedAt: lastProgress(4 * DAY_MS) }), now)).toBe(false);
    expect(isStalled(claim({ updatedAt: now }), now)).toBe(false);
  });

  it('follows the configured threshold', () => {
    const threeDays = claim({ updatedAt: lastProgress(3 * DAY_MS + 1) });
    expect(isStalled(threeDays, now, 3)).toBe(true);
    expect(isStalled(threeDays, now, 5)).toBe(false);
  });

  it('leaves closed and archived claims alone, and fires once per claim', () => {
    expect(isStalled(claim({ status: 'CLOSED' }), now)).toBe(false);
    expect(isStalled(claim({ archived: true }), now)).toBe(false);
    const fired = { code: 'DELAY_EXCEEDED', kind: 'ESCALATION', reason: 'x', at: now.toISOString() };
    expect(isStalled(claim({ triggers: [fired] }), now)).toBe(false);
    // other triggers do not count
    expect(isStalled(claim({ triggers: [{ code: 'INJURIES' }] }), now)).toBe(true);
  });

  it('treats every open status as able to stall, ESCALATED included (the alert is recorded)', () => {
    for (const status of [
      'NEW',
      'IN_PROGRESS',
      'EXPERT_REVIEW',
      'VALIDATION',
      'AWAITING_CLIENT',
      'ESCALATED',
    ] as const)
      expect(isStalled(claim({ status }), now)).toBe(true);
  });

  it('fires an escalation trigger with its French reason and the configured days', () => {
    expect(delayTrigger()).toEqual({
      code: 'DELAY_EXCEEDED',
      kind: 'ESCALATION',
      reason: 'Aucune progression du dossier depuis plus de 5 jours',
    });
    expect(delayTrigger(7).reason).toBe('Aucune progression du dossier depuis plus de 7 jours');
  });

  it('escalates an open claim, only records it on an ESCALATED one, never fires on a CLOSED one', () => {
    const trigger = delayTrigger();
    const open = planTriggers([], [trigger], 'AWAITING_CLIENT', now);
    expect(open).toEqual({
      added: [{ ...trigger, at: now.toISOString() }],
      escalate: true,
      escalation: [trigger],
    });
    const escalated = planTriggers([], [trigger], 'ESCALATED', now);
    expect(escalated.escalate).toBe(false);
    expect(escalated.added).toHaveLength(1);
    expect(planTriggers([], [trigger], 'CLOSED', now).escalate).toBe(false);
    // a second check of a claim that already fired adds nothing
    expect(planTriggers(open.added, [trigger], 'IN_PROGRESS', now)).toMatchObject({
      added: [],
      escalate: false,
    });
  });
});
