// fast-check generators for the CCI property tests (test-only: not part of the package build).
import fc from 'fast-check';
import { CLAIM_TYPES, CONTRACT_STATUSES, type ClaimFacts } from '../src/facts';
import { type CciThresholds } from '../src/decision';

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Amounts that land on, just below and well inside every damage band. */
export const damageArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1_499.99, 1_500, 4_999.99, 5_000, 14_999.99, 15_000, 49_999.99, 50_000),
  fc.integer({ min: 0, max: 250_000 }),
  fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true }),
);

export const daysArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 2, 2.5, 3, 5, 5.5, 6, 30, 30.5, 31),
  fc.nat(800),
  fc.double({ min: 0, max: 800, noNaN: true, noDefaultInfinity: true }),
);

export const priorClaimsArb: fc.Arbitrary<number> = fc.nat(15);

/** Any valid facts, with every optional answer sometimes missing (the bot asks progressively). */
export const factsArb: fc.Arbitrary<ClaimFacts> = fc.record(
  {
    claimType: fc.constantFrom(...CLAIM_TYPES),
    injuries: maybe(fc.boolean()),
    thirdPartyInvolved: maybe(fc.boolean()),
    thirdPartyResponsible: maybe(fc.boolean()),
    amicableReport: maybe(fc.boolean()),
    policeReport: maybe(fc.boolean()),
    estimatedDamage: maybe(damageArb),
    documentsProvided: maybe(fc.boolean()),
    contractStatus: maybe(fc.constantFrom(...CONTRACT_STATUSES)),
    coverageApplies: maybe(fc.boolean()),
    priorClaimsLast12Months: maybe(priorClaimsArb),
    daysSinceEvent: maybe(daysArb),
  },
  { requiredKeys: ['claimType'] },
);

/** Any value an optional boolean answer can take. */
export const answerArb: fc.Arbitrary<boolean | undefined> = maybe(fc.boolean());

export const thresholdsArb: fc.Arbitrary<CciThresholds> = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
  .map(([x, y]) => ({ autonomousBelow: Math.min(x, y), escalateAbove: Math.max(x, y) }));
