// The chat visitor's session: POST /chat/sessions opens a conversation with the bot and gives a
// conversation token (one hour, that one conversation). It is kept in sessionStorage with the
// last sequence received, so a reload within the hour follows the same conversation again.
import { codeWords, type ErrorInWords } from '../shared/errors';

export interface ChatSession {
  conversationId: string;
  token: string;
  /** ISO date: the token is refused after it */
  expiresAt: string;
  /** the last MESSAGE/OWNERSHIP sequence received (0 before any) */
  lastSequence: number;
}

export interface OpenedSession {
  session: ChatSession;
  /** the bot's greeting, shown only if the live feed does not bring it */
  replies: string[];
}

const KEY = 'crm.chat.session';

export function loadSession(): ChatSession | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<ChatSession>;
    if (
      typeof parsed.conversationId !== 'string' ||
      typeof parsed.token !== 'string' ||
      typeof parsed.expiresAt !== 'string'
    ) {
      return null;
    }
    return {
      conversationId: parsed.conversationId,
      token: parsed.token,
      expiresAt: parsed.expiresAt,
      lastSequence: typeof parsed.lastSequence === 'number' ? parsed.lastSequence : 0,
    };
  } catch {
    return null;
  }
}

export function saveSession(session: ChatSession): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // private browsing with storage refused: the page still works, a reload starts over
  }
}

export function forgetSession(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}

/** Milliseconds left before the token expires (negative once expired). */
export function msLeft(session: ChatSession, now = Date.now()): number {
  return Date.parse(session.expiresAt) - now;
}

export function isExpired(session: ChatSession, now = Date.now()): boolean {
  const left = msLeft(session, now);
  return Number.isNaN(left) || left <= 0;
}

interface OpenResponse {
  conversationId?: string;
  token?: string;
  expiresAt?: string;
  turn?: { reply?: string; replies?: string[] };
  errors?: { message?: string; extensions?: { code?: string } }[];
}

export class SessionError extends Error {
  constructor(readonly inWords: ErrorInWords) {
    super(inWords.words);
  }
}

/** Opens a new conversation with the bot; throws a SessionError in words. */
export async function openSession(): Promise<OpenedSession> {
  let res: Response;
  try {
    res = await fetch('/chat/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'CHAT' }),
      cache: 'no-store',
    });
  } catch {
    throw new SessionError(codeWords('NETWORK', 'Le serveur ne répond pas.'));
  }
  let body: OpenResponse = {};
  try {
    body = (await res.json()) as OpenResponse;
  } catch {
    // not JSON: told below by its status
  }
  if (!res.ok || !body.conversationId || !body.token || !body.expiresAt) {
    const first = body.errors?.[0];
    const code = first?.extensions?.code ?? (res.status === 429 ? 'LIMIT.RATE' : 'CHAT.UNAVAILABLE');
    throw new SessionError(
      codeWords(code, first?.message ?? 'L’assistant ne peut pas ouvrir de conversation pour le moment.'),
    );
  }
  const replies = body.turn?.replies?.length
    ? body.turn.replies
    : body.turn?.reply
      ? body.turn.reply.split('\n').filter(Boolean)
      : [];
  return {
    session: {
      conversationId: body.conversationId,
      token: body.token,
      expiresAt: body.expiresAt,
      lastSequence: 0,
    },
    replies,
  };
}
