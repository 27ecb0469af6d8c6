/** Stable codes for authentication failures; mapped to HTTP 401/403 and GraphQL errors. */
export type AuthErrorCode =
  | 'AUTH.MISSING_TOKEN'
  | 'AUTH.INVALID_TOKEN'
  | 'AUTH.EXPIRED_TOKEN'
  | 'AUTH.FORBIDDEN'
  | 'AUTH.NOT_FROM_GATEWAY';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
