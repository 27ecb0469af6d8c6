// What the conversation's own events ask of the queue (read by conversation.consumer.ts):
// ConversationOwnershipChanged (the advisor handed the client back to the bot, or closed the
// conversation) and CallBackOffered (nobody took the transfer in time). Pure: data in; the
// schema already checked the ids (uuid) and the phone (E.164).
import { type EventDataMap } from '@crm/events';

type OwnershipChange = EventDataMap['ConversationOwnershipChanged'];
type Cause = OwnershipChange['cause'];

/** Which open entry an event of the conversation is about (escalationId first, then the others in order). */
export interface EntryRef {
  /** the entry itself, when the conversation knows it: only that entry, open or not */
  escalationId: string | null;
  /** else the conversation's open entry (a transfer's, or a claim's declared to the bot) */
  conversationId: string;
  /** else the claim's open entry (the transfer's link may not have reached the entry yet) */
  claimId: string | null;
}

/** The resolution written when the conversation gives none (French: advisors read it). */
export const DEFAULT_RESOLUTIONS: Readonly<Partial<Record<Cause, string>>> = {
  HANDED_BACK: "Rendu à l'assistant",
  CLOSED_BY_ADVISOR: 'Conversation clôturée par le conseiller',
};

export type OwnershipDecision =
  /** the advisor let the conversation go: the entry is over */
  | { kind: 'resolve'; ref: EntryRef; resolution: string }
  /** any other change: the queue made it (an assignment, a resolution) or already knows it */
  | { kind: 'ignore' };

const lower = (id: string | null | undefined): string | null => (id ? id.toLowerCase() : null);

export function entryRefOf(data: {
  escalationId?: string;
  conversationId: string;
  claimId?: string;
}): EntryRef {
  return {
    escalationId: lower(data.escalationId),
    conversationId: data.conversationId.toLowerCase(),
    claimId: lower(data.claimId),
  };
}

/**
 * HANDED_BACK (the advisor gave the client back to the bot) and CLOSED_BY_ADVISOR end the
 * conversation's entry, with the conversation's reason or DEFAULT_RESOLUTIONS. The other
 * causes come from the queue's own events (ADVISOR_ASSIGNED, ESCALATION_RESOLVED) or precede
 * the entry (HANDOFF_REQUESTED: HandoffRequested queues it): nothing to do, and acting on
 * ESCALATION_RESOLVED would loop.
 */
export function ownershipDecision(data: OwnershipChange): OwnershipDecision {
  const fallback = DEFAULT_RESOLUTIONS[data.cause];
  if (!fallback) return { kind: 'ignore' };
  const reason = data.reason?.trim();
  return { kind: 'resolve', ref: entryRefOf(data), resolution: reason || fallback };
}

/** What a CallBackOffered writes on the entry. */
export interface CallBackInput {
  ref: EntryRef;
  /** E.164; null when the client's record has no number (the advisor answers in the conversation) */
  phone: string | null;
  by: Date;
  offeredAt: Date;
}

export function callBackFrom(data: EventDataMap['CallBackOffered']): CallBackInput {
  return {
    ref: entryRefOf(data),
    phone: data.phone ?? null,
    by: new Date(data.callBackBy),
    offeredAt: new Date(data.offeredAt),
  };
}
