export { AuthError, type AuthErrorCode } from './errors';
export { ANONYMOUS, hasRole, isRole, requireRole, STAFF, type Principal, type Role } from './principal';
export {
  INTERNAL_TOKEN_HEADER,
  issueUserToken,
  mintInternalToken,
  verifyInternalToken,
  verifyUserToken,
  type InternalCaller,
  type UserTokenSettings,
  type VerifiedUser,
} from './tokens';
