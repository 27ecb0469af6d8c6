import { assertValidFacts, type ClaimFacts } from './facts';
import { CCI_MAX, CCI_MIN, type CciPolicy, type CciResult } from './policy';
import { CURRENT_CCI_POLICY } from './registry';

/**
 * The Claim Complexity Index of `facts` under `policy` (the current one by default).
 * Pure and deterministic: the same facts and policy version always give the same result,
 * which is what lets the claims service re-derive the score the bot decided on.
 * Throws CciError 'CCI.INVALID_FACTS' on facts that cannot be scored.
 */
export function scoreClaim(facts: ClaimFacts, policy: CciPolicy = CURRENT_CCI_POLICY): CciResult {
  assertValidFacts(facts);
  const factors = policy.rules
    .filter((rule) => rule.applies(facts))
    .map((rule) => ({ code: rule.code, label: rule.label, points: rule.points }));
  const raw = factors.reduce((sum, factor) => sum + factor.points, 0);
  return {
    // rounding only matters for a hand-built policy that skipped defineCciPolicy's checks
    score: Math.min(CCI_MAX, Math.max(CCI_MIN, Math.round(raw))),
    factors,
    policyVersion: policy.version,
  };
}
