// Expected failures carry a stable code (`CLAIM.NOT_FOUND`) and are mapped to GraphQL errors
// in one place (formatError in server.ts). Anything else is an internal error: logged with
// the correlation id, shown to clients without internals.
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Input validation failure: every problem at once, code VALIDATION.FAILED. */
export class ValidationError extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('VALIDATION.FAILED', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { problems });
    this.name = 'ValidationError';
  }
}
