export { AuthError, type AuthErrorCode } from './errors';
export { ANONYMOUS, hasRole, isRole, requireRole, STAFF, type Principal, type Role } from './principal';
export {
  CHAT_WIDGET,
  CONVERSATION_TOKEN_TTL_SECONDS,
  issueConversationToken,
  verifyConversationToken,
  verifyPresentedToken,
} from './conversation-tokens';
export { issueUserToken, verifyUserToken, type UserTokenSettings, type VerifiedUser } from './tokens';
export {
  generateInternalKeys,
  INTERNAL_TOKEN_HEADER,
  INTERNAL_TOKEN_TTL_SECONDS,
  InternalTokenSigner,
  InternalTokenVerifier,
  isKey,
  pemOf,
  privateKeyOf,
  publicKeyOf,
  requestDigest,
  routeDigest,
  SOCKET_BINDING,
  type InternalCaller,
  type RequestShape,
  type TokenBinding,
} from './internal-tokens';
