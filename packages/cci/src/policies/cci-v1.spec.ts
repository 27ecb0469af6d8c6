// Pins cci-v1. Scores recorded under "cci-v1" must re-score identically forever, so a failure
// here means v1 was edited: revert, and put the change in a new version instead.
import { type ClaimFacts } from '../facts';
import { scoreClaim } from '../score';
import { CCI_POLICY_V1 } from './cci-v1';

const score = (facts: ClaimFacts) => scoreClaim(facts, CCI_POLICY_V1);
const codes = (facts: ClaimFacts) => score(facts).factors.map((f) => f.code);

// The seed's example (step 3): "J'étais arrêté au feu rouge, une voiture m'a percuté par
// l'arrière", then step 4's answers: no injuries, constat filled in, no police, photos.
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
  priorClaimsLast12Months: 0,
  daysSinceEvent: 0,
};

describe('CCI policy v1', () => {
  it('is published as "cci-v1" with exactly these factors and weights', () => {
    expect(CCI_POLICY_V1.version).toBe('cci-v1');
    expect(CCI_POLICY_V1.rules.map((r) => [r.code, r.points])).toEqual([
      ['TYPE_COLLISION', 10],
      ['TYPE_DEGATS', 10],
      ['TYPE_VOL', 25],
      ['TYPE_INCENDIE', 30],
      ['TYPE_BLESSURE', 15],
      ['INJURIES', 35],
      ['THIRD_PARTY_INVOLVED', 10],
      ['THIRD_PARTY_NO_AMICABLE_REPORT', 10],
      ['THIRD_PARTY_RESPONSIBLE', 10],
      ['POLICE_REPORT', 10],
      ['DAMAGE_1500_5000', 5],
      ['DAMAGE_5000_15000', 15],
      ['DAMAGE_15000_50000', 25],
      ['DAMAGE_50000_PLUS', 35],
      ['DOCUMENTS_MISSING', 10],
      ['CONTRACT_UNKNOWN', 20],
      ['CONTRACT_SUSPENDED', 30],
      ['CONTRACT_TERMINATED', 40],
      ['NOT_COVERED', 30],
      ['PRIOR_CLAIMS_1', 5],
      ['PRIOR_CLAIMS_2', 10],
      ['PRIOR_CLAIMS_3_PLUS', 20],
      ['LATE_DECLARATION', 10],
      ['VERY_LATE_DECLARATION', 20],
    ]);
  });

  it('cannot be modified at run time', () => {
    expect(Object.isFrozen(CCI_POLICY_V1)).toBe(true);
    expect(Object.isFrozen(CCI_POLICY_V1.rules)).toBe(true);
    expect(CCI_POLICY_V1.rules.every((r) => Object.isFrozen(r))).toBe(true);
  });

  describe('seed scenarios', () => {
    it('scores the rear-end collision at a red light, with constat and photos, clearly below 40', () => {
      const result = score(rearEndAtRedLight);
      expect(result).toEqual({
        score: 25,
        policyVersion: 'cci-v1',
        factors: [
          { code: 'TYPE_COLLISION', label: 'Sinistre de type collision', points: 10 },
          { code: 'THIRD_PARTY_INVOLVED', label: 'Tiers impliqué', points: 10 },
          { code: 'DAMAGE_1500_5000', label: 'Dommages estimés de 1 500 à 5 000 €', points: 5 },
        ],
      });
    });

    it('adds 35 points for injuries', () => {
      const result = score({ ...rearEndAtRedLight, injuries: true });
      expect(result.score).toBe(60);
      expect(result.factors).toContainEqual({ code: 'INJURIES', label: 'Blessures déclarées', points: 35 });
    });

    it('counts a missing constat only when a third party is involved', () => {
      expect(score({ ...rearEndAtRedLight, amicableReport: false }).score).toBe(35);
      expect(codes({ claimType: 'collision', amicableReport: false })).toEqual(['TYPE_COLLISION']);
    });

    it('scores a theft with a police complaint and no documents above a simple collision', () => {
      const theft = score({
        claimType: 'vol',
        policeReport: true,
        documentsProvided: false,
        contractStatus: 'actif',
        coverageApplies: true,
        daysSinceEvent: 1,
      });
      const simpleCollision = score({
        claimType: 'collision',
        documentsProvided: true,
        contractStatus: 'actif',
      });
      expect(theft.score).toBe(35);
      expect(theft.factors.map((f) => f.code)).toEqual(['TYPE_VOL', 'DOCUMENTS_MISSING']);
      expect(simpleCollision.score).toBe(10);
      expect(theft.score).toBeGreaterThan(simpleCollision.score);
    });

    it('counts police intervention on a collision but not the complaint that every theft requires', () => {
      expect(codes({ claimType: 'collision', policeReport: true })).toEqual([
        'TYPE_COLLISION',
        'POLICE_REPORT',
      ]);
      expect(codes({ claimType: 'vol', policeReport: true })).toEqual(['TYPE_VOL']);
    });

    it('pushes a claim on a suspended, terminated or unknown contract, or without cover, toward review', () => {
      const base: ClaimFacts = { ...rearEndAtRedLight, estimatedDamage: 800 };
      expect(score(base).score).toBe(20);
      expect(score({ ...base, contractStatus: 'suspendu' }).score).toBe(50);
      expect(score({ ...base, contractStatus: 'résilié' }).score).toBe(60);
      expect(score({ ...base, contractStatus: 'inconnu' }).score).toBe(40);
      expect(score({ ...base, coverageApplies: false }).score).toBe(50);
      expect(score({ ...base, contractStatus: 'résilié', coverageApplies: false }).score).toBe(90);
    });
  });

  it('treats a "blessure" claim as an injury claim even if the flag says otherwise', () => {
    expect(score({ claimType: 'blessure', injuries: false })).toMatchObject({ score: 50 });
    expect(codes({ claimType: 'blessure' })).toEqual(['TYPE_BLESSURE', 'INJURIES']);
  });

  it('treats a responsible third party as an involved one', () => {
    expect(codes({ claimType: 'collision', thirdPartyResponsible: true, amicableReport: false })).toEqual([
      'TYPE_COLLISION',
      'THIRD_PARTY_INVOLVED',
      'THIRD_PARTY_NO_AMICABLE_REPORT',
      'THIRD_PARTY_RESPONSIBLE',
    ]);
  });

  it.each([
    [0, []],
    [1_499.99, []],
    [1_500, ['DAMAGE_1500_5000']],
    [4_999.99, ['DAMAGE_1500_5000']],
    [5_000, ['DAMAGE_5000_15000']],
    [14_999, ['DAMAGE_5000_15000']],
    [15_000, ['DAMAGE_15000_50000']],
    [50_000, ['DAMAGE_50000_PLUS']],
    [2_000_000, ['DAMAGE_50000_PLUS']],
  ])('puts an estimated damage of %p EUR in band %p', (estimatedDamage, band) => {
    expect(codes({ claimType: 'degats', estimatedDamage })).toEqual(['TYPE_DEGATS', ...band]);
  });

  it.each([
    [0, []],
    [1, ['PRIOR_CLAIMS_1']],
    [2, ['PRIOR_CLAIMS_2']],
    [3, ['PRIOR_CLAIMS_3_PLUS']],
    [12, ['PRIOR_CLAIMS_3_PLUS']],
  ])('counts %p prior claims in the last 12 months as %p', (priorClaimsLast12Months, factor) => {
    expect(codes({ claimType: 'collision', priorClaimsLast12Months })).toEqual(['TYPE_COLLISION', ...factor]);
  });

  it.each([
    ['collision', 5, []],
    ['collision', 5.5, ['LATE_DECLARATION']],
    ['collision', 30, ['LATE_DECLARATION']],
    ['collision', 31, ['VERY_LATE_DECLARATION']],
    ['vol', 2, []],
    ['vol', 3, ['LATE_DECLARATION']],
    ['vol', 45, ['VERY_LATE_DECLARATION']],
  ] as const)('flags a %s declared after %p days with %p', (claimType, daysSinceEvent, factor) => {
    expect(codes({ claimType, daysSinceEvent }).slice(1)).toEqual(factor);
  });

  it('clamps an extreme claim to 100 while still listing every factor', () => {
    const result = score({
      claimType: 'incendie',
      injuries: true,
      thirdPartyInvolved: true,
      thirdPartyResponsible: true,
      amicableReport: false,
      policeReport: true,
      estimatedDamage: 60_000,
      documentsProvided: false,
      contractStatus: 'résilié',
      coverageApplies: false,
      priorClaimsLast12Months: 3,
      daysSinceEvent: 40,
    });
    expect(result.score).toBe(100);
    expect(result.factors.reduce((sum, f) => sum + f.points, 0)).toBe(
      30 + 35 + 10 + 10 + 10 + 10 + 35 + 10 + 40 + 30 + 20 + 20,
    );
  });

  it('gives the bare minimum to a claim whose answers are not known yet', () => {
    expect(score({ claimType: 'collision' })).toEqual({
      score: 10,
      policyVersion: 'cci-v1',
      factors: [{ code: 'TYPE_COLLISION', label: 'Sinistre de type collision', points: 10 }],
    });
  });
});
