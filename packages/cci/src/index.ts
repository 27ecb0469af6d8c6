// The Claim Complexity Index: the one piece of business policy shared by the conversation
// bot (live decision) and the claims service (recorded score). Pure, versioned, explainable;
// docs/cci.md describes the factors, thresholds and versioning rules.
export { CciError, type CciErrorCode } from './errors';
export {
  type ClaimFacts,
  type ClaimType,
  type ContractStatus,
  CLAIM_TYPES,
  CONTRACT_STATUSES,
  assertValidFacts,
  hasInjuries,
  hasThirdParty,
  PRIOR_CLAIMS_WINDOW_DAYS,
  daysSinceEvent,
  priorClaimsLast12Months,
} from './facts';
export {
  type CciFactor,
  type CciFactorRule,
  type CciPolicy,
  type CciResult,
  CCI_MAX,
  CCI_MIN,
  defineCciPolicy,
} from './policy';
export { CCI_POLICY_V1 } from './policies/cci-v1';
export { CCI_POLICIES, CURRENT_CCI_POLICY, policyByVersion } from './registry';
export { scoreClaim } from './score';
export {
  type CciThresholds,
  type ClaimDecision,
  type EscalationTrigger,
  type EscalationTriggerCode,
  type Handling,
  DEFAULT_THRESHOLDS,
  decideClaim,
  parseThresholds,
} from './decision';
