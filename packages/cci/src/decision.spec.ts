import fc from 'fast-check';
import { answerArb, factsArb, thresholdsArb } from '../test/arbitraries';
import {
  type CciThresholds,
  DEFAULT_THRESHOLDS,
  type Handling,
  decideClaim,
  parseThresholds,
} from './decision';
import { CciError } from './errors';
import { type ClaimFacts } from './facts';
import { defineCciPolicy } from './policy';
import { scoreClaim } from './score';

const RANK: Record<Handling, number> = { AUTONOMOUS: 0, EXPERT: 1, ESCALATED: 2 };

function errorOf(action: () => unknown): CciError {
  try {
    action();
  } catch (error) {
    if (error instanceof CciError) return error;
    throw error;
  }
  throw new Error('expected a CciError, nothing was thrown');
}

// The seed's example answers (steps 3-4): rear-ended at a red light, no injuries, constat, photos.
const rearEndAtRedLight: ClaimFacts = {
  claimType: 'collision',
  injuries: false,
  thirdPartyInvolved: true,
  amicableReport: true,
  policeReport: false,
  documentsProvided: true,
  contractStatus: 'actif',
  coverageApplies: true,
  estimatedDamage: 2_500,
};

describe('decideClaim: seed scenarios', () => {
  it('handles the rear-end collision with constat and photos autonomously', () => {
    const decision = decideClaim(rearEndAtRedLight);
    expect(decision.handling).toBe('AUTONOMOUS');
    expect(decision.triggers).toEqual([]);
    expect(decision.cci).toEqual(scoreClaim(rearEndAtRedLight));
    expect(decision.thresholds).toEqual({ autonomousBelow: 40, escalateAbove: 60 });
  });

  it('escalates on injuries whatever the score', () => {
    const decision = decideClaim({ ...rearEndAtRedLight, injuries: true });
    expect(decision.cci.score).toBe(60); // not above 60: the injury alone escalates
    expect(decision.handling).toBe('ESCALATED');
    expect(decision.triggers).toEqual([
      { code: 'INJURIES', reason: 'Blessures déclarées : prise en charge par un conseiller requise' },
    ]);
    const lowScore = decideClaim(
      { claimType: 'degats', injuries: true },
      { thresholds: { autonomousBelow: 90, escalateAbove: 100 } },
    );
    expect(lowScore.cci.score).toBe(45);
    expect(lowScore.handling).toBe('ESCALATED');
    expect(decideClaim({ claimType: 'blessure' }).triggers.map((t) => t.code)).toEqual(['INJURIES']);
  });

  it('escalates when the other party is responsible, even with a low score', () => {
    const decision = decideClaim({ ...rearEndAtRedLight, thirdPartyResponsible: true });
    expect(decision.cci.score).toBe(35);
    expect(decision.handling).toBe('ESCALATED');
    expect(decision.triggers).toEqual([
      {
        code: 'THIRD_PARTY_RESPONSIBLE',
        reason: 'Tiers responsable : un recours contre le tiers doit être engagé par un conseiller',
      },
    ]);
  });

  it('escalates a score above 60 and says so with the score and the threshold', () => {
    // collision 10 + résilié 40 + documents 10 + 1 prior claim 5
    const decision = decideClaim({
      claimType: 'collision',
      contractStatus: 'résilié',
      documentsProvided: false,
      priorClaimsLast12Months: 1,
    });
    expect(decision.cci.score).toBe(65);
    expect(decision.handling).toBe('ESCALATED');
    expect(decision.triggers).toEqual([
      {
        code: 'CCI_ABOVE_THRESHOLD',
        reason: "Indice de complexité (CCI) de 65, supérieur au seuil d'escalade de 60",
      },
    ]);
  });

  it('lists every trigger that fires, in a stable order', () => {
    const decision = decideClaim({ claimType: 'incendie', injuries: true, thirdPartyResponsible: true });
    expect(decision.cci.score).toBe(85);
    expect(decision.triggers.map((t) => t.code)).toEqual([
      'CCI_ABOVE_THRESHOLD',
      'INJURIES',
      'THIRD_PARTY_RESPONSIBLE',
    ]);
  });

  it('sends the 40-60 band to expert review, boundaries included', () => {
    const at50: ClaimFacts = { claimType: 'collision', contractStatus: 'résilié' };
    const at60: ClaimFacts = {
      claimType: 'vol',
      policeReport: true,
      documentsProvided: false,
      estimatedDamage: 18_000,
    };
    const at35: ClaimFacts = { claimType: 'vol', policeReport: true, documentsProvided: false };
    expect(
      [decideClaim(at35), decideClaim(at50), decideClaim(at60)].map((d) => [
        d.cci.score,
        d.handling,
        d.triggers,
      ]),
    ).toEqual([
      [35, 'AUTONOMOUS', []],
      [50, 'EXPERT', []],
      [60, 'EXPERT', []],
    ]);
    const unknownContract = decideClaim({
      ...rearEndAtRedLight,
      estimatedDamage: 800,
      contractStatus: 'inconnu',
    });
    expect([unknownContract.cci.score, unknownContract.handling]).toEqual([40, 'EXPERT']);
  });
});

describe('decideClaim: thresholds', () => {
  const score25 = rearEndAtRedLight;

  it.each<[CciThresholds, Handling]>([
    [{ autonomousBelow: 26, escalateAbove: 60 }, 'AUTONOMOUS'],
    [{ autonomousBelow: 25, escalateAbove: 60 }, 'EXPERT'],
    [{ autonomousBelow: 25, escalateAbove: 25 }, 'EXPERT'],
    [{ autonomousBelow: 24, escalateAbove: 24 }, 'ESCALATED'],
    [{ autonomousBelow: 0, escalateAbove: 100 }, 'EXPERT'],
    [{ autonomousBelow: 100, escalateAbove: 100 }, 'AUTONOMOUS'],
  ])('with %p decides %s for a score of 25', (thresholds, handling) => {
    const decision = decideClaim(score25, { thresholds });
    expect(decision.cci.score).toBe(25);
    expect(decision.handling).toBe(handling);
    expect(decision.thresholds).toEqual(thresholds);
  });

  it('refuses inconsistent thresholds', () => {
    const error = errorOf(() =>
      decideClaim(score25, { thresholds: { autonomousBelow: 70, escalateAbove: 60 } }),
    );
    expect(error.code).toBe('CCI.INVALID_THRESHOLDS');
  });

  it('uses the policy it is given', () => {
    const everythingIsComplex = defineCciPolicy({
      version: 'cci-v2',
      rules: [{ code: 'BASE', label: 'Base', points: 90, applies: () => true }],
    });
    const decision = decideClaim(score25, { policy: everythingIsComplex });
    expect(decision.cci).toMatchObject({ score: 90, policyVersion: 'cci-v2' });
    expect(decision.handling).toBe('ESCALATED');
  });
});

describe('decideClaim properties', () => {
  it('follows the seed rules for any facts and thresholds', () => {
    fc.assert(
      fc.property(factsArb, thresholdsArb, (facts, thresholds) => {
        const { cci, handling, triggers } = decideClaim(facts, { thresholds });
        const injured = facts.injuries === true || facts.claimType === 'blessure';
        const expectedCodes = [
          ...(cci.score > thresholds.escalateAbove ? ['CCI_ABOVE_THRESHOLD'] : []),
          ...(injured ? ['INJURIES'] : []),
          ...(facts.thirdPartyResponsible === true ? ['THIRD_PARTY_RESPONSIBLE'] : []),
        ];
        expect(triggers.map((t) => t.code)).toEqual(expectedCodes);
        expect(triggers.every((t) => t.reason.length > 0)).toBe(true);
        const expected: Handling =
          expectedCodes.length > 0
            ? 'ESCALATED'
            : cci.score < thresholds.autonomousBelow
              ? 'AUTONOMOUS'
              : 'EXPERT';
        expect(handling).toBe(expected);
      }),
    );
  });

  it('never handles a claim more lightly because of injuries or a responsible third party', () => {
    fc.assert(
      fc.property(factsArb, thresholdsArb, answerArb, (facts, thresholds, other) => {
        for (const field of ['injuries', 'thirdPartyResponsible'] as const) {
          const flagged = decideClaim({ ...facts, [field]: true }, { thresholds });
          const unflagged = decideClaim({ ...facts, [field]: other }, { thresholds });
          expect(flagged.handling).toBe('ESCALATED');
          expect(RANK[flagged.handling]).toBeGreaterThanOrEqual(RANK[unflagged.handling]);
        }
      }),
    );
  });

  it('never handles a claim more lightly under stricter thresholds', () => {
    fc.assert(
      fc.property(factsArb, thresholdsArb, thresholdsArb, (facts, t1, t2) => {
        const strict = {
          autonomousBelow: Math.min(t1.autonomousBelow, t2.autonomousBelow),
          escalateAbove: Math.min(t1.escalateAbove, t2.escalateAbove),
        };
        const lax = {
          autonomousBelow: Math.max(t1.autonomousBelow, t2.autonomousBelow),
          escalateAbove: Math.max(t1.escalateAbove, t2.escalateAbove),
        };
        expect(RANK[decideClaim(facts, { thresholds: strict }).handling]).toBeGreaterThanOrEqual(
          RANK[decideClaim(facts, { thresholds: lax }).handling],
        );
      }),
    );
  });
});

describe('parseThresholds', () => {
  it('defaults to the seed thresholds, 40 and 60', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ autonomousBelow: 40, escalateAbove: 60 });
    expect(parseThresholds({})).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds({ autonomousBelow: 30 })).toEqual({ autonomousBelow: 30, escalateAbove: 60 });
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
  });

  it('accepts every integer pair with 0 <= autonomousBelow <= escalateAbove <= 100, as numbers or strings', () => {
    fc.assert(
      fc.property(thresholdsArb, (t) => {
        expect(parseThresholds(t)).toEqual(t);
        expect(
          parseThresholds({ autonomousBelow: ` ${t.autonomousBelow}`, escalateAbove: `${t.escalateAbove} ` }),
        ).toEqual(t);
      }),
    );
  });

  it('rejects any pair out of order or out of range', () => {
    const outOfRange = fc.oneof(fc.integer({ min: -1000, max: -1 }), fc.integer({ min: 101, max: 1000 }));
    const invalidPair = fc.oneof(
      thresholdsArb
        .filter((t) => t.autonomousBelow < t.escalateAbove)
        .map((t) => ({ autonomousBelow: t.escalateAbove, escalateAbove: t.autonomousBelow })),
      fc
        .tuple(outOfRange, fc.integer({ min: 0, max: 100 }))
        .map(([a, e]) => ({ autonomousBelow: a, escalateAbove: e })),
      fc
        .tuple(fc.integer({ min: 0, max: 100 }), outOfRange)
        .map(([a, e]) => ({ autonomousBelow: a, escalateAbove: e })),
    );
    fc.assert(
      fc.property(invalidPair, (input) => {
        expect(errorOf(() => parseThresholds(input)).code).toBe('CCI.INVALID_THRESHOLDS');
      }),
    );
  });

  it.each([
    ['a fraction', { autonomousBelow: 40.5 }, 'autonomousBelow'],
    ['NaN', { escalateAbove: NaN }, 'escalateAbove'],
    ['Infinity', { escalateAbove: Infinity }, 'escalateAbove'],
    ['a non-numeric string', { autonomousBelow: 'forty' }, 'autonomousBelow'],
    ['an empty string', { autonomousBelow: '' }, 'autonomousBelow'],
    ['a negative string', { autonomousBelow: '-5' }, 'autonomousBelow'],
    ['null', { escalateAbove: null }, 'escalateAbove'],
    ['a boolean', { escalateAbove: true }, 'escalateAbove'],
  ])('rejects %s, naming the setting', (_case, input, name) => {
    const error = errorOf(() => parseThresholds(input));
    expect(error.code).toBe('CCI.INVALID_THRESHOLDS');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(name);
  });

  it('names both settings when both are wrong', () => {
    const error = errorOf(() => parseThresholds({ autonomousBelow: 'x', escalateAbove: 200 }));
    expect(error.problems).toHaveLength(2);
    expect(error).toBeInstanceOf(Error);
  });
});
