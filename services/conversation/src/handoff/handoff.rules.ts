// Who answers the client, as a state machine (pure; handoff.rules.spec.ts):
//   BOT -> WAITING_FOR_ADVISOR -> ADVISOR(advisor) -> BOT or CLOSED
// with who may act on a conversation an advisor holds, and how the client is told.
import { hasRole, type Principal } from '@crm/auth';
import { type ConversationOwner } from '../conversation/conversation.mapping';

export type OwnershipCause =
  | 'HANDOFF_REQUESTED'
  | 'ADVISOR_ASSIGNED'
  | 'ADVISOR_REASSIGNED'
  | 'HANDED_BACK'
  | 'CLOSED_BY_ADVISOR'
  | 'ESCALATION_RESOLVED';

/** "Claire Martin" -> "Claire"; a name of one word stays whole. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** Where ownership stands (the conversation's row). */
export interface Ownership {
  owner: ConversationOwner;
  advisorId: string | null;
  advisorName: string | null;
}

/** A change to write: the new owner and why. */
export interface OwnershipMove {
  to: ConversationOwner;
  cause: OwnershipCause;
  advisorId: string | null;
  advisorName: string | null;
  reason: string | null;
}

export type Decision<T> = { kind: 'move'; move: T } | { kind: 'none'; why: string };

const none = (why: string): Decision<never> => ({ kind: 'none', why });

/** Only the bot answers; waiting for or talking with an advisor, the client's words are kept for him. */
export const botAnswers = (owner: ConversationOwner): boolean => owner === 'BOT';

/** The bot transferred the client: he waits for an advisor (once: a transfer while waiting changes nothing). */
export function onHandoff(state: Ownership, reason: string): Decision<OwnershipMove> {
  if (state.owner !== 'BOT') return none(`already ${state.owner}`);
  return {
    kind: 'move',
    move: {
      to: 'WAITING_FOR_ADVISOR',
      cause: 'HANDOFF_REQUESTED',
      advisorId: null,
      advisorName: null,
      reason,
    },
  };
}

/**
 * An advisor was given the conversation's queue entry. Only a client still waiting (or talking
 * with another advisor: a reassignment) changes hands; a conversation the bot finished or that
 * was closed is history: the entry is worked without it.
 */
export function onAssigned(state: Ownership, advisorId: string, fullName: string): Decision<OwnershipMove> {
  // the client is told the first name only ("Claire"); staff read the advisor's whole record
  const advisorName = firstName(fullName);
  if (state.owner === 'WAITING_FOR_ADVISOR')
    return {
      kind: 'move',
      move: { to: 'ADVISOR', cause: 'ADVISOR_ASSIGNED', advisorId, advisorName, reason: null },
    };
  if (state.owner === 'ADVISOR') {
    if (state.advisorId?.toLowerCase() === advisorId.toLowerCase())
      return none('held by this advisor already');
    return {
      kind: 'move',
      move: { to: 'ADVISOR', cause: 'ADVISOR_REASSIGNED', advisorId, advisorName, reason: null },
    };
  }
  return none(`the client is not waiting (${state.owner})`);
}

/** The queue entry was resolved: a client still waiting or talking is told the exchange is over. */
/** `resolution` null: the entry's person was erased before it was resolved (no words travel). */
export function onEscalationResolved(state: Ownership, resolution: string | null): Decision<OwnershipMove> {
  if (state.owner !== 'WAITING_FOR_ADVISOR' && state.owner !== 'ADVISOR')
    return none(`already ${state.owner}`);
  return {
    kind: 'move',
    move: {
      to: 'CLOSED',
      cause: 'ESCALATION_RESOLVED',
      advisorId: state.advisorId,
      advisorName: state.advisorName,
      reason: resolution,
    },
  };
}

export type HolderCheck =
  | { ok: true }
  | { ok: false; code: 'CONVERSATION.NOT_WITH_ADVISOR' | 'CONVERSATION.NOT_HOLDER'; message: string };

/**
 * Writing to the client, handing back, closing: the advisor holding the conversation (his token's
 * subject is his advisor id), a supervisor standing in for him, or the system.
 */
export function checkHolder(state: Ownership, principal: Principal): HolderCheck {
  if (state.owner !== 'ADVISOR')
    return {
      ok: false,
      code: 'CONVERSATION.NOT_WITH_ADVISOR',
      message: `no advisor holds this conversation (${state.owner})`,
    };
  if (hasRole(principal, 'supervisor', 'system')) return { ok: true };
  if (hasRole(principal, 'advisor') && state.advisorId?.toLowerCase() === principal.sub.toLowerCase())
    return { ok: true };
  return { ok: false, code: 'CONVERSATION.NOT_HOLDER', message: 'another advisor holds this conversation' };
}

export function onRelease(state: Ownership, to: 'BOT' | 'CLOSED', resolution: string | null): OwnershipMove {
  return {
    to,
    cause: to === 'BOT' ? 'HANDED_BACK' : 'CLOSED_BY_ADVISOR',
    advisorId: state.advisorId,
    advisorName: state.advisorName,
    reason: resolution,
  };
}

/** Who is typing: the client (his token or the chat widget's) or the advisor holding it; else nobody. */
export function typingParticipant(
  state: Ownership,
  principal: Principal,
  clientId: string | null,
  conversationId: string,
): 'CLIENT' | 'ADVISOR' | null {
  if (state.owner !== 'ADVISOR' && state.owner !== 'WAITING_FOR_ADVISOR') return null;
  if (hasRole(principal, 'conversation') && principal.sub.toLowerCase() === conversationId.toLowerCase())
    return 'CLIENT';
  if (
    hasRole(principal, 'client') &&
    clientId !== null &&
    principal.sub.toLowerCase() === clientId.toLowerCase()
  )
    return 'CLIENT';
  if (checkHolder(state, principal).ok && !hasRole(principal, 'system')) return 'ADVISOR';
  return null;
}

/** The waiting clients to offer a call-back: waiting longer than the limit, not offered one yet. */
export function callBackDue(
  waitingSince: Date | null,
  offeredAt: Date | null,
  now: Date,
  limitMs: number,
): boolean {
  return waitingSince !== null && offeredAt === null && now.getTime() - waitingSince.getTime() >= limitMs;
}

/** "+33612345678" -> "06 •• •• •• 78": enough for the client to recognise his number, no more. */
export function maskPhone(e164: string | null): string | null {
  if (!e164) return null;
  const digits = e164.replace(/\D/g, '');
  const last = digits.slice(-2);
  if (e164.startsWith('+33') && digits.length === 11) return `0${digits[2]} •• •• •• ${last}`;
  return `•••• ${last}`;
}

const PARIS_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  hour: '2-digit',
  minute: '2-digit',
});

/** A deadline as the client reads it: "16h30" (Paris time). */
export function frenchTime(at: Date): string {
  return PARIS_TIME.format(at).replace(':', 'h');
}
