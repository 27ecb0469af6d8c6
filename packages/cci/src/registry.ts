// Every published policy, looked up by the version recorded next to a score, so that an
// old claim can be re-scored (or its score explained) exactly as it was decided.
import { CciError } from './errors';
import { CCI_POLICY_V1 } from './policies/cci-v1';
import { type CciPolicy } from './policy';

export const CCI_POLICIES: ReadonlyMap<string, CciPolicy> = new Map([[CCI_POLICY_V1.version, CCI_POLICY_V1]]);

/** The policy new scores use. Moving it to a new version never changes old results. */
export const CURRENT_CCI_POLICY: CciPolicy = CCI_POLICY_V1;

/** Throws CciError 'CCI.UNKNOWN_POLICY_VERSION' for a version this build does not know. */
export function policyByVersion(version: string): CciPolicy {
  const policy = CCI_POLICIES.get(version);
  if (policy === undefined) {
    throw new CciError('CCI.UNKNOWN_POLICY_VERSION', [
      `unknown CCI policy version ${JSON.stringify(version)} (known: ${[...CCI_POLICIES.keys()].join(', ')})`,
    ]);
  }
  return policy;
}
