import { DEFAULT_THRESHOLDS, policyByVersion, scoreClaim } from '@crm/cci';
import {
  CLAIM_NUMBER_PATTERN,
  changedFields,
  claimFacts,
  daysBetween,
  formatClaimNumber,
  initialActions,
  EXPERTISE_DAMAGE_THRESHOLD,
  recordScore,
  recordedExtraFacts,
  sameScore,
  type ScoredClaim,
} from './claim.rules';

const now = new Date('2026-02-04T09:00:00Z');
const redLight: ScoredClaim = {
  type: 'COLLISION',
  occurredAt: new Date('2026-02-02T14:30:00Z'),
  thirdPartyInvolved: true,
  thirdPartyResponsible: null,
  amicableReport: true,
  policeReport: false,
  estimatedDamage: '2500.00',
  photoUrls: ['https://photos.example.fr/1.jpg'],
};

describe('claim numbers', () => {
  it('are SIN-<UTC year>-<sequence padded to 6 digits>, and grow past 6 digits', () => {
    expect(formatClaimNumber(now, 123)).toBe('SIN-2026-000123');
    expect(formatClaimNumber(new Date('2026-12-31T23:30:00-02:00'), '7')).toBe('SIN-2027-000007');
    expect(formatClaimNumber(now, 1234567n)).toBe('SIN-2026-1234567');
    expect(formatClaimNumber(now, 1234567n)).toMatch(CLAIM_NUMBER_PATTERN);
    expect(() => formatClaimNumber(now, 0)).toThrow(RangeError);
  });
});

describe('CCI facts of a recorded claim', () => {
  it('counts calendar days (UTC) between the event and the declaration, never negative', () => {
    expect(daysBetween(new Date('2026-02-02T23:59:00Z'), new Date('2026-02-03T00:01:00Z'))).toBe(1);
    expect(daysBetween(new Date('2026-02-02T00:00:00Z'), new Date('2026-02-02T23:00:00Z'))).toBe(0);
    expect(daysBetween(new Date('2026-02-05T00:00:00Z'), new Date('2026-02-02T00:00:00Z'))).toBe(0);
  });

  it('maps columns to facts; null columns and contract facts stay absent (not known yet)', () => {
    const facts = claimFacts(redLight, { priorClaimsLast12Months: 0 }, now);
    expect(facts).toEqual({
      claimType: 'collision',
      thirdPartyInvolved: true,
      amicableReport: true,
      policeReport: false,
      estimatedDamage: 2500,
      documentsProvided: true,
      priorClaimsLast12Months: 0,
      daysSinceEvent: 2,
    });
    expect(facts).not.toHaveProperty('contractStatus');
    expect(facts).not.toHaveProperty('coverageApplies');
    expect(
      claimFacts(
        { ...redLight, type: 'DAMAGE', photoUrls: [] },
        { priorClaimsLast12Months: 1, injuries: true },
        now,
      ),
    ).toMatchObject({ claimType: 'degats', documentsProvided: false, injuries: true });
    expect(
      claimFacts({ ...redLight, photoUrls: null }, { priorClaimsLast12Months: 0 }, now),
    ).not.toHaveProperty('documentsProvided');
  });

  it('records the seed scenario at 25, autonomous, with a breakdown that replays', () => {
    const facts = claimFacts(redLight, { priorClaimsLast12Months: 0 }, now);
    const recorded = recordScore(facts, DEFAULT_THRESHOLDS, now);
    expect(recorded.score).toBe(25);
    expect(recorded.policyVersion).toBe('cci-v1');
    expect(recorded.breakdown.handling).toBe('AUTONOMOUS');
    expect(recorded.breakdown.factors.reduce((s, f) => s + f.points, 0)).toBe(25);
    expect(recorded.breakdown.scoredAt).toBe(now.toISOString());
    // explainable forever: the stored facts and version give the stored score back
    const replay = scoreClaim(
      recorded.breakdown.facts as unknown as Parameters<typeof scoreClaim>[0],
      policyByVersion(recorded.policyVersion),
    );
    expect(replay.score).toBe(recorded.score);
  });

  it('escalates injuries whatever the score, with the trigger recorded', () => {
    const facts = claimFacts(redLight, { priorClaimsLast12Months: 0, injuries: true }, now);
    const recorded = recordScore(facts, DEFAULT_THRESHOLDS, now);
    expect(recorded.breakdown.handling).toBe('ESCALATED');
    expect(recorded.breakdown.triggers.map((t) => t.code)).toContain('INJURIES');
  });

  it('reads back the facts that have no column, and tells a new score from the recorded one', () => {
    const facts = claimFacts(redLight, { priorClaimsLast12Months: 2, injuries: false }, now);
    const recorded = recordScore(facts, DEFAULT_THRESHOLDS, now);
    expect(recordedExtraFacts(recorded.breakdown)).toEqual({ priorClaimsLast12Months: 2, injuries: false });
    expect(recordedExtraFacts(null)).toEqual({ priorClaimsLast12Months: 0 });
    // contract facts a consumer supplied survive a rescoring
    const known = recordScore(
      claimFacts(
        redLight,
        { priorClaimsLast12Months: 0, contractStatus: 'résilié', coverageApplies: false },
        now,
      ),
      DEFAULT_THRESHOLDS,
      now,
    );
    expect(recordedExtraFacts(known.breakdown)).toEqual({
      priorClaimsLast12Months: 0,
      contractStatus: 'résilié',
      coverageApplies: false,
    });
    expect(known.breakdown.factors.map((f) => f.code)).toEqual(
      expect.arrayContaining(['CONTRACT_TERMINATED', 'NOT_COVERED']),
    );

    const asStored = {
      cciScore: recorded.score,
      cciPolicyVersion: recorded.policyVersion,
      // jsonb gives keys back in its own order
      cciBreakdown: JSON.parse(
        JSON.stringify({ ...recorded.breakdown, facts: Object.fromEntries(Object.entries(facts).reverse()) }),
      ),
    };
    const later = new Date(now.getTime() + 60_000);
    expect(sameScore(recordScore(facts, DEFAULT_THRESHOLDS, later), asStored)).toBe(true);
    const responsible = claimFacts(
      { ...redLight, thirdPartyResponsible: true },
      { priorClaimsLast12Months: 2 },
      now,
    );
    expect(sameScore(recordScore(responsible, DEFAULT_THRESHOLDS, later), asStored)).toBe(false);
    expect(sameScore(recorded, { cciScore: null, cciPolicyVersion: null, cciBreakdown: null })).toBe(false);
  });
});

describe('initial recommended actions', () => {
  it('asks for the constat, the missing documents and an expert as the declaration requires', () => {
    expect(
      initialActions({ claimType: 'collision', amicableReport: true, documentsProvided: true }, 'AUTONOMOUS'),
    ).toEqual([expect.objectContaining({ type: 'envoyer_constat', priority: 'normale' })]);
    expect(
      initialActions({ claimType: 'vol', documentsProvided: false }, 'EXPERT').map((a) => [
        a.type,
        a.priority,
      ]),
    ).toEqual([
      ['info_client', 'haute'],
      ['expertise', 'haute'],
    ]);
    // not asked yet is not missing
    expect(initialActions({ claimType: 'degats' }, 'ESCALATED')).toEqual([]);
  });

  it('asks for a constat (high) after a collision with a third party and none filled in', () => {
    const kinds = (facts: Parameters<typeof initialActions>[0]) =>
      initialActions(facts, 'AUTONOMOUS').map((a) => [a.type, a.priority]);
    expect(kinds({ claimType: 'collision', thirdPartyInvolved: true, amicableReport: false })).toEqual([
      ['envoyer_constat', 'haute'],
    ]);
    expect(kinds({ claimType: 'collision', thirdPartyInvolved: true })).toEqual([
      ['envoyer_constat', 'haute'],
    ]);
    expect(kinds({ claimType: 'collision', thirdPartyInvolved: false })).toEqual([]);
    expect(kinds({ claimType: 'vol', thirdPartyInvolved: true, amicableReport: false })).toEqual([]);
  });

  it('sends an expert for a fire or an estimate above the threshold, once', () => {
    const types = (
      facts: Parameters<typeof initialActions>[0],
      handling: 'AUTONOMOUS' | 'EXPERT' = 'AUTONOMOUS',
    ) => initialActions(facts, handling).map((a) => a.type);
    expect(types({ claimType: 'incendie' })).toEqual(['expertise']);
    expect(types({ claimType: 'degats', estimatedDamage: EXPERTISE_DAMAGE_THRESHOLD + 1 })).toEqual([
      'expertise',
    ]);
    expect(types({ claimType: 'degats', estimatedDamage: EXPERTISE_DAMAGE_THRESHOLD })).toEqual([]);
    expect(types({ claimType: 'incendie', estimatedDamage: 80_000 }, 'EXPERT')).toEqual(['expertise']);
  });
});

describe('changedFields', () => {
  it('compares dates by instant, lists by content, and null with undefined as equal', () => {
    const before = { a: new Date('2026-01-01T00:00:00Z'), b: ['x'], c: null as string | null, d: 'same' };
    expect(changedFields(before, { a: new Date('2026-01-01T00:00:00Z'), b: ['x'], d: 'same' })).toEqual([]);
    expect(
      changedFields(before, { a: new Date('2026-01-02T00:00:00Z'), b: ['y'], c: 'now', d: 'same' }),
    ).toEqual(['a', 'b', 'c']);
  });
});
