// A CCI policy is data: a version and a list of factor rules, each with a fixed number of
// points and a predicate. Keeping the points out of code paths is what makes a score
// explainable (every point comes from one listed factor) and a version reproducible.
import { CciError } from './errors';
import { type ClaimFacts } from './facts';

/** One contribution to a score, as shown to advisors and recorded with the claim. */
export interface CciFactor {
  code: string;
  /** French, shown to advisors, e.g. "Blessures déclarées". */
  label: string;
  points: number;
}

export interface CciFactorRule {
  readonly code: string;
  readonly label: string;
  /** Integer; may be negative in a future policy, never fractional. */
  readonly points: number;
  /** Receives facts already checked by `assertValidFacts`. */
  readonly applies: (facts: ClaimFacts) => boolean;
}

export interface CciPolicy {
  /** Recorded with every score, e.g. "cci-v1"; never reused for different rules. */
  readonly version: string;
  readonly rules: readonly CciFactorRule[];
}

export interface CciResult {
  /** Integer in [0, 100]: the sum of the factors' points, clamped. */
  score: number;
  factors: CciFactor[];
  policyVersion: string;
}

export const CCI_MIN = 0;
export const CCI_MAX = 100;

/** Checks and freezes a policy so that a published version cannot drift at run time. */
export function defineCciPolicy(policy: CciPolicy): CciPolicy {
  const problems: string[] = [];
  if (!/^cci-v\d+$/.test(policy.version)) {
    problems.push(`version must look like "cci-v<number>" (got ${JSON.stringify(policy.version)})`);
  }
  const seen = new Set<string>();
  for (const rule of policy.rules) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(rule.code))
      problems.push(`rule code ${JSON.stringify(rule.code)} must be UPPER_SNAKE`);
    if (seen.has(rule.code)) problems.push(`rule code ${rule.code} is defined twice`);
    seen.add(rule.code);
    if (rule.label.trim() === '') problems.push(`rule ${rule.code} has an empty label`);
    if (!Number.isInteger(rule.points) || rule.points === 0) {
      problems.push(`rule ${rule.code} must have a non-zero integer number of points (got ${rule.points})`);
    }
  }
  if (problems.length > 0) throw new CciError('CCI.INVALID_POLICY', problems);
  return Object.freeze({
    version: policy.version,
    rules: Object.freeze(policy.rules.map((rule) => Object.freeze({ ...rule }))),
  });
}
