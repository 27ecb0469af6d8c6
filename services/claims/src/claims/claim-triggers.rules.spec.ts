import { DEFAULT_THRESHOLDS, type ClaimFacts } from '@crm/cci';
import { recordScore } from './claim.rules';
import {
  detectTriggers,
  escalationReason,
  planTriggers,
  type DetectedTrigger,
  type RecordedTrigger,
} from './claim-triggers.rules';

const now = new Date('2026-02-04T09:00:00Z');
const detect = (facts: ClaimFacts) =>
  detectTriggers(recordScore(facts, DEFAULT_THRESHOLDS, now).breakdown, facts);
const codes = (ts: readonly { code: string }[]) => ts.map((t) => t.code).sort();

describe("detectTriggers (seed « Système d'Escalade »)", () => {
  it('escalates injuries, a responsible third party and a CCI above the threshold, each with its reason', () => {
    const injuries = detect({ claimType: 'collision', injuries: true });
    expect(injuries).toEqual([expect.objectContaining({ code: 'INJURIES', kind: 'ESCALATION' })]);
    expect(injuries[0]!.reason).toMatch(/Blessures/);
    expect(
      codes(detect({ claimType: 'collision', thirdPartyInvolved: true, thirdPartyResponsible: true })),
    ).toEqual(['THIRD_PARTY_RESPONSIBLE']);
    const high = detect({ claimType: 'incendie', estimatedDamage: 80_000, contractStatus: 'inconnu' });
    expect(high.find((t) => t.code === 'CCI_ABOVE_THRESHOLD')?.reason).toMatch(/supérieur au seuil/);
  });

  it('raises missing documents as an alert, never an escalation, and nothing for a routine claim', () => {
    expect(detect({ claimType: 'degats', documentsProvided: false })).toEqual([
      expect.objectContaining({ code: 'MISSING_DOCUMENTS', kind: 'ALERT' }),
    ]);
    expect(detect({ claimType: 'collision', documentsProvided: true, amicableReport: true })).toEqual([]);
    // not asked yet is not missing
    expect(detect({ claimType: 'degats' })).toEqual([]);
  });
});

describe('planTriggers', () => {
  const injuries: DetectedTrigger = { code: 'INJURIES', kind: 'ESCALATION', reason: 'Blessures' };
  const third: DetectedTrigger = { code: 'THIRD_PARTY_RESPONSIBLE', kind: 'ESCALATION', reason: 'Tiers' };
  const docs: DetectedTrigger = { code: 'MISSING_DOCUMENTS', kind: 'ALERT', reason: 'Docs' };
  const recorded = (t: DetectedTrigger): RecordedTrigger => ({ ...t, at: '2026-01-01T00:00:00.000Z' });

  it('escalates a claim on its first escalation trigger and records every new trigger with its time', () => {
    const plan = planTriggers([], [injuries, docs], 'NEW', now);
    expect(plan.escalate).toBe(true);
    expect(plan.added).toEqual([
      { ...injuries, at: now.toISOString() },
      { ...docs, at: now.toISOString() },
    ]);
    expect(plan.escalation).toEqual([injuries]);
  });

  it('does not escalate on an alert alone', () => {
    const plan = planTriggers([], [docs], 'NEW', now);
    expect(plan).toMatchObject({ escalate: false, escalation: [] });
    expect(plan.added).toHaveLength(1);
  });

  it('never escalates twice: same open escalation, already-known triggers, closed claims', () => {
    // already ESCALATED: the new trigger is recorded, nothing is published
    const open = planTriggers([recorded(injuries)], [injuries, third], 'ESCALATED', now);
    expect(open.escalate).toBe(false);
    expect(codes(open.added)).toEqual(['THIRD_PARTY_RESPONSIBLE']);
    // an advisor took it (IN_PROGRESS) and the facts are corrected: known triggers stay handled
    expect(planTriggers([recorded(injuries)], [injuries], 'IN_PROGRESS', now)).toMatchObject({
      escalate: false,
      added: [],
    });
    // ...but a trigger it never had escalates again, with every trigger firing
    const again = planTriggers([recorded(injuries)], [injuries, third], 'IN_PROGRESS', now);
    expect(again.escalate).toBe(true);
    expect(codes(again.escalation)).toEqual(['INJURIES', 'THIRD_PARTY_RESPONSIBLE']);
    // CLOSED is terminal
    expect(planTriggers([], [injuries], 'CLOSED', now).escalate).toBe(false);
  });

  it('explains the automatic escalation in French, within 500 characters', () => {
    expect(escalationReason([injuries, third])).toBe('Escalade automatique : Blessures ; Tiers');
    expect(escalationReason([{ ...injuries, reason: 'x'.repeat(600) }]).length).toBe(500);
  });
});
