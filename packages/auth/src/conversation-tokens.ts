// The chat widget's token: a visitor opens a conversation with the bot without any account, and
// gets a token for that one conversation (send messages in it, read it, follow it live; nothing
// else). The gateway issues it (POST /chat/sessions) and signs it with its Ed25519 key, so no
// other process can issue one; its audience is the chat, never a subgraph's name, so it is not
// an internal token either. The bot binds the conversation to the client once it has
// authenticated him; the token stays bound to the conversation.
import type { KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { AuthError } from './errors';
import type { InternalTokenSigner } from './internal-tokens';
import type { Principal } from './principal';
import {
  mapJoseError,
  toPrincipal,
  verifyUserToken,
  type UserTokenSettings,
  type VerifiedUser,
} from './tokens';

const ISSUER = 'crm-gateway';
const AUDIENCE = 'crm-chat';
/** explicit typing (RFC 8725, 3.11): no other token of the gateway's key passes for this one */
const TYPE = 'crm-chat+jwt';
/** a declaration takes minutes; a visitor who pauses longer opens a new session */
export const CONVERSATION_TOKEN_TTL_SECONDS = 3600;

/**
 * The gateway itself when it opens a conversation for a widget (POST /chat/sessions): never the
 * subject of a token, since those name a conversation id.
 */
export const CHAT_WIDGET: Principal = Object.freeze({ sub: 'chat-widget', roles: ['conversation' as const] });

export function issueConversationToken(
  signer: InternalTokenSigner,
  conversationId: string,
  ttlSeconds = CONVERSATION_TOKEN_TTL_SECONDS,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return new SignJWT({ roles: ['conversation'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: TYPE })
    .setSubject(conversationId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(signer.signingKey);
}

/** A conversation token: its principal has the role `conversation` only, whatever it claims. */
export async function verifyConversationToken(
  token: string,
  publicKey: KeyObject,
  now?: number,
): Promise<VerifiedUser> {
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: TYPE,
      algorithms: ['EdDSA'],
      requiredClaims: ['exp', 'sub'],
      ...(now !== undefined ? { currentDate: new Date(now * 1000) } : {}),
    });
    const principal = toPrincipal(payload);
    if (principal.sub === CHAT_WIDGET.sub) throw new AuthError('AUTH.INVALID_TOKEN', 'invalid token');
    return { principal: { sub: principal.sub, roles: ['conversation'] }, expiresAt: payload.exp! };
  } catch (err) {
    throw mapJoseError(err);
  }
}

/**
 * A token presented at the gateway: a user token (HS256, from the identity provider) or a chat
 * widget's conversation token (EdDSA, the gateway's own), told apart by their algorithm; each is
 * then verified with that algorithm only.
 */
export function verifyPresentedToken(
  token: string,
  user: UserTokenSettings,
  conversationKey: KeyObject,
): Promise<VerifiedUser> {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return Promise.reject(new AuthError('AUTH.INVALID_TOKEN', 'invalid token'));
  }
  return alg === 'EdDSA' ? verifyConversationToken(token, conversationKey) : verifyUserToken(token, user);
}
