import type { KeyObject } from 'node:crypto';
import { AuthError, verifyPresentedToken, type UserTokenSettings, type VerifiedUser } from '@crm/auth';

/** The tokens the gateway accepts: users' (the identity provider's) and chat widgets' (its own). */
export interface AcceptedTokens {
  user: UserTokenSettings;
  /** the gateway's public key: checks the conversation tokens it issued (POST /chat/sessions) */
  conversations: KeyObject;
}

/** Reads `Authorization: Bearer <jwt>`; every GraphQL call at the gateway needs one. */
export async function authenticate(
  header: string | undefined,
  accepted: AcceptedTokens,
): Promise<VerifiedUser> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) throw new AuthError('AUTH.MISSING_TOKEN', 'an Authorization: Bearer token is required');
  return verifyPresentedToken(match[1], accepted.user, accepted.conversations);
}
