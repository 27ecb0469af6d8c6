import fc from 'fast-check';
import { factsArb, answerArb, damageArb, daysArb, priorClaimsArb } from '../test/arbitraries';
import { CciError } from './errors';
import { type ClaimFacts, type ContractStatus } from './facts';
import { CCI_POLICY_V1 } from './policies/cci-v1';
import { type CciPolicy, defineCciPolicy } from './policy';
import { CCI_POLICIES, CURRENT_CCI_POLICY, policyByVersion } from './registry';
import { scoreClaim } from './score';

const scoreOf = (facts: ClaimFacts): number => scoreClaim(facts).score;
const rawSum = (facts: ClaimFacts): number => scoreClaim(facts).factors.reduce((sum, f) => sum + f.points, 0);

function errorOf(action: () => unknown): CciError {
  try {
    action();
  } catch (error) {
    if (error instanceof CciError) return error;
    throw error;
  }
  throw new Error('expected a CciError, nothing was thrown');
}

describe('scoreClaim properties (cci-v1)', () => {
  it('always gives an integer within [0, 100], tagged with the policy version', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const result = scoreClaim(facts);
        expect(Number.isInteger(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(result.policyVersion).toBe('cci-v1');
      }),
    );
  });

  it('explains every point: the factors sum to the unclamped score', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const { score, factors } = scoreClaim(facts);
        const sum = factors.reduce((total, f) => total + f.points, 0);
        expect(score).toBe(Math.min(100, Math.max(0, sum)));
        if (sum <= 100) expect(score).toBe(sum);
      }),
    );
  });

  it('lists each factor once, as its rule defines it, in policy order, with a claim-type base', () => {
    const ruleIndex = new Map(CCI_POLICY_V1.rules.map((rule, index) => [rule.code, index]));
    fc.assert(
      fc.property(factsArb, (facts) => {
        const { factors } = scoreClaim(facts);
        const indexes = factors.map((f) => ruleIndex.get(f.code) ?? -1);
        expect(indexes.every((i) => i >= 0)).toBe(true);
        expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
        for (const factor of factors) {
          const rule = CCI_POLICY_V1.rules[ruleIndex.get(factor.code)!]!;
          expect(factor).toEqual({ code: rule.code, label: rule.label, points: rule.points });
        }
        expect(factors.filter((f) => f.code.startsWith('TYPE_'))).toHaveLength(1);
      }),
    );
  });

  it('is deterministic and leaves its input untouched', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const frozen = Object.freeze({ ...facts });
        const first = scoreClaim(frozen);
        first.factors.push({ code: 'TAMPERED', label: 'x', points: 99 });
        expect(scoreClaim(structuredClone(facts))).toEqual(scoreClaim(frozen));
        expect(scoreClaim(frozen).factors.some((f) => f.code === 'TAMPERED')).toBe(false);
        expect(frozen).toEqual(facts);
      }),
    );
  });

  it('adds substantially for injuries, and never lowers the score', () => {
    fc.assert(
      fc.property(factsArb, answerArb, (facts, other) => {
        const without = { ...facts, injuries: other };
        const withInjuries = { ...facts, injuries: true };
        expect(scoreOf(withInjuries)).toBeGreaterThanOrEqual(scoreOf(without));
        const alreadyInjured = other === true || facts.claimType === 'blessure';
        if (!alreadyInjured) expect(rawSum(withInjuries)).toBe(rawSum(without) + 35);
      }),
    );
  });

  it('never lowers the score for a responsible third party', () => {
    fc.assert(
      fc.property(factsArb, answerArb, (facts, other) => {
        const withResponsible = { ...facts, thirdPartyResponsible: true };
        const without = { ...facts, thirdPartyResponsible: other };
        expect(rawSum(withResponsible)).toBeGreaterThanOrEqual(rawSum(without));
        if (other !== true) expect(rawSum(withResponsible)).toBeGreaterThan(rawSum(without));
      }),
    );
  });

  it('never lowers the score for an involved third party', () => {
    fc.assert(
      fc.property(factsArb, answerArb, (facts, other) => {
        expect(scoreOf({ ...facts, thirdPartyInvolved: true })).toBeGreaterThanOrEqual(
          scoreOf({ ...facts, thirdPartyInvolved: other }),
        );
      }),
    );
  });

  it('never raises the score for a filled-in constat, and lowers it when it replaces a "no" with a third party', () => {
    fc.assert(
      fc.property(factsArb, answerArb, (facts, other) => {
        const withConstat = rawSum({ ...facts, amicableReport: true });
        expect(withConstat).toBeLessThanOrEqual(rawSum({ ...facts, amicableReport: other }));
        if (facts.thirdPartyInvolved === true) {
          expect(withConstat).toBeLessThan(rawSum({ ...facts, amicableReport: false }));
        }
      }),
    );
  });

  it('never lowers the score for a police report, and raises it outside thefts', () => {
    fc.assert(
      fc.property(factsArb, answerArb, (facts, other) => {
        const withPolice = rawSum({ ...facts, policeReport: true });
        const without = rawSum({ ...facts, policeReport: other });
        expect(withPolice).toBeGreaterThanOrEqual(without);
        if (facts.claimType === 'vol') expect(withPolice).toBe(without);
        else if (other !== true) expect(withPolice).toBeGreaterThan(without);
      }),
    );
  });

  it('never raises the score for provided documents', () => {
    fc.assert(
      fc.property(factsArb, answerArb, (facts, other) => {
        expect(rawSum({ ...facts, documentsProvided: true })).toBeLessThanOrEqual(
          rawSum({ ...facts, documentsProvided: other }),
        );
      }),
    );
  });

  it('never lowers the score for missing cover', () => {
    fc.assert(
      fc.property(factsArb, answerArb, (facts, other) => {
        expect(rawSum({ ...facts, coverageApplies: false })).toBeGreaterThanOrEqual(
          rawSum({ ...facts, coverageApplies: other }),
        );
      }),
    );
  });

  it('orders contract statuses: actif (or not yet known) < inconnu < suspendu < résilié', () => {
    const order: (ContractStatus | undefined)[] = [undefined, 'actif', 'inconnu', 'suspendu', 'résilié'];
    fc.assert(
      fc.property(factsArb, (facts) => {
        const sums = order.map((contractStatus) => rawSum({ ...facts, contractStatus }));
        expect(sums[0]).toBe(sums[1]);
        for (let i = 2; i < sums.length; i++) expect(sums[i]!).toBeGreaterThan(sums[i - 1]!);
      }),
    );
  });

  it('is monotonic in estimated damage, prior claims and declaration delay', () => {
    fc.assert(
      fc.property(
        factsArb,
        fc.tuple(damageArb, damageArb),
        fc.tuple(priorClaimsArb, priorClaimsArb),
        fc.tuple(daysArb, daysArb),
        (facts, damages, priors, delays) => {
          const pairs = [
            ['estimatedDamage', damages],
            ['priorClaimsLast12Months', priors],
            ['daysSinceEvent', delays],
          ] as const;
          for (const [field, [x, y]] of pairs) {
            const [low, high] = x <= y ? [x, y] : [y, x];
            expect(rawSum({ ...facts, [field]: high })).toBeGreaterThanOrEqual(
              rawSum({ ...facts, [field]: low }),
            );
            // an unknown amount, history or delay counts as the lowest
            expect(rawSum({ ...facts, [field]: undefined })).toBeLessThanOrEqual(
              rawSum({ ...facts, [field]: low }),
            );
          }
        },
      ),
    );
  });
});

describe('scoreClaim input checks', () => {
  it('treats null answers (nullable columns) like missing ones', () => {
    const fromDatabase = {
      claimType: 'collision',
      injuries: null,
      estimatedDamage: null,
      contractStatus: null,
    };
    expect(scoreClaim(fromDatabase as unknown as ClaimFacts)).toEqual(scoreClaim({ claimType: 'collision' }));
  });

  it.each([
    ['an unknown claim type', { claimType: 'dégâts' }, 'claimType'],
    [
      'a damage amount as a string (PostgreSQL DECIMAL)',
      { claimType: 'vol', estimatedDamage: '12000.00' },
      'estimatedDamage',
    ],
    ['a negative damage amount', { claimType: 'vol', estimatedDamage: -1 }, 'estimatedDamage'],
    ['a NaN delay', { claimType: 'vol', daysSinceEvent: NaN }, 'daysSinceEvent'],
    ['an infinite damage amount', { claimType: 'vol', estimatedDamage: Infinity }, 'estimatedDamage'],
    ['an event in the future', { claimType: 'vol', daysSinceEvent: -2 }, 'daysSinceEvent'],
    [
      'a fractional claim count',
      { claimType: 'vol', priorClaimsLast12Months: 1.5 },
      'priorClaimsLast12Months',
    ],
    ['a boolean given as a string', { claimType: 'vol', injuries: 'oui' }, 'injuries'],
    ['an unknown contract status', { claimType: 'vol', contractStatus: 'active' }, 'contractStatus'],
  ])('rejects %s with CCI.INVALID_FACTS', (_case, facts, field) => {
    const error = errorOf(() => scoreClaim(facts as unknown as ClaimFacts));
    expect(error.code).toBe('CCI.INVALID_FACTS');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(field);
  });

  it('names every problem at once', () => {
    const error = errorOf(() =>
      scoreClaim({ claimType: 'x', estimatedDamage: -5, documentsProvided: 1 } as unknown as ClaimFacts),
    );
    expect(error.problems.map((p) => p.split(' ')[0])).toEqual([
      'claimType',
      'documentsProvided',
      'estimatedDamage',
    ]);
  });

  it('rejects something that is not an object', () => {
    expect(errorOf(() => scoreClaim(null as unknown as ClaimFacts)).code).toBe('CCI.INVALID_FACTS');
  });
});

describe('policies and versions', () => {
  const v2 = defineCciPolicy({
    version: 'cci-v2',
    rules: [
      { code: 'BASE', label: 'Base', points: 50, applies: () => true },
      {
        code: 'DOCUMENTS_PROVIDED',
        label: 'Documents fournis',
        points: -70,
        applies: (f) => f.documentsProvided === true,
      },
      { code: 'INJURIES', label: 'Blessures déclarées', points: 80, applies: (f) => f.injuries === true },
    ],
  });

  it('looks policies up by the version recorded with a score', () => {
    expect(policyByVersion('cci-v1')).toBe(CCI_POLICY_V1);
    expect(CURRENT_CCI_POLICY).toBe(CCI_POLICY_V1);
    expect([...CCI_POLICIES.keys()]).toEqual(['cci-v1']);
    fc.assert(
      fc.property(factsArb, (facts) => {
        const recorded = scoreClaim(facts);
        expect(scoreClaim(facts, policyByVersion(recorded.policyVersion))).toEqual(recorded);
      }),
    );
  });

  it('refuses an unknown version with a stable code', () => {
    const error = errorOf(() => policyByVersion('cci-v9'));
    expect(error.code).toBe('CCI.UNKNOWN_POLICY_VERSION');
    expect(error.message).toContain('cci-v1');
  });

  it('scores with another policy without touching v1 results', () => {
    const facts: ClaimFacts = { claimType: 'collision', documentsProvided: true };
    const before = scoreClaim(facts);
    expect(scoreClaim(facts, v2)).toEqual({
      score: 0,
      policyVersion: 'cci-v2',
      factors: [
        { code: 'BASE', label: 'Base', points: 50 },
        { code: 'DOCUMENTS_PROVIDED', label: 'Documents fournis', points: -70 },
      ],
    });
    expect(scoreClaim({ claimType: 'collision', injuries: true }, v2).score).toBe(100);
    expect(scoreClaim(facts)).toEqual(before);
    expect(scoreClaim(facts, CCI_POLICY_V1)).toEqual(before);
  });

  it('clamps both ways and keeps the score an integer under any valid policy', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const { score, factors } = scoreClaim(facts, v2);
        const sum = factors.reduce((total, f) => total + f.points, 0);
        expect(score).toBe(Math.min(100, Math.max(0, sum)));
      }),
    );
  });

  it.each<[string, CciPolicy, string]>([
    ['a malformed version', { version: 'v2', rules: [] }, 'version'],
    [
      'a duplicate code',
      {
        version: 'cci-v2',
        rules: [
          { code: 'A', label: 'a', points: 1, applies: () => true },
          { code: 'A', label: 'b', points: 2, applies: () => true },
        ],
      },
      'twice',
    ],
    [
      'fractional points',
      { version: 'cci-v2', rules: [{ code: 'A', label: 'a', points: 1.5, applies: () => true }] },
      'integer',
    ],
    [
      'zero points',
      { version: 'cci-v2', rules: [{ code: 'A', label: 'a', points: 0, applies: () => true }] },
      'non-zero',
    ],
    [
      'an empty label',
      { version: 'cci-v2', rules: [{ code: 'A', label: ' ', points: 1, applies: () => true }] },
      'label',
    ],
    [
      'a lower-case code',
      { version: 'cci-v2', rules: [{ code: 'a', label: 'a', points: 1, applies: () => true }] },
      'UPPER_SNAKE',
    ],
  ])('refuses to define a policy with %s', (_case, policy, problem) => {
    const error = errorOf(() => defineCciPolicy(policy));
    expect(error.code).toBe('CCI.INVALID_POLICY');
    expect(error.message).toContain(problem);
  });
});
