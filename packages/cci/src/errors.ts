// One error type for the package, with stable codes callers can switch on (docs/graph.md, Error codes).
export type CciErrorCode =
  'CCI.INVALID_FACTS' | 'CCI.INVALID_THRESHOLDS' | 'CCI.INVALID_POLICY' | 'CCI.UNKNOWN_POLICY_VERSION';

export class CciError extends Error {
  constructor(
    readonly code: CciErrorCode,
    readonly problems: readonly string[],
  ) {
    super(`${code}: ${problems.join('; ')}`);
    this.name = 'CciError';
  }
}
