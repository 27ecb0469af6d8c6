import { AuthError, verifyUserToken, type UserTokenSettings, type VerifiedUser } from '@crm/auth';

/** Reads `Authorization: Bearer <jwt>`; every GraphQL call at the gateway needs one. */
export async function authenticate(
  header: string | undefined,
  settings: UserTokenSettings,
): Promise<VerifiedUser> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) throw new AuthError('AUTH.MISSING_TOKEN', 'an Authorization: Bearer token is required');
  return verifyUserToken(match[1], settings);
}
