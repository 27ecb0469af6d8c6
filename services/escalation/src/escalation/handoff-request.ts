// HandoffRequested (published by the conversation service when the bot transfers the client
// to a person) -> an entry of the queue about that conversation. Pure: data and `now` in; the
// schema already checked the ids (uuid).
import { type EventDataMap } from '@crm/events';
import { CALL_REQUEST_MAX_AGE_MS } from './call-request';
import { normalizeReasons } from './escalation.rules';

type HandoffReason = EventDataMap['HandoffRequested']['reason'];

/**
 * The queue's reason for each transfer. ESCALATED has none: a claim the bot escalated reaches
 * the queue through its own ClaimEscalationRequested (claims service), with the triggers and
 * the recorded CCI; the transfer only tells the claim's entry which conversation the client
 * waits in (ClaimLink).
 */
export const HANDOFF_REASONS: Readonly<Record<Exclude<HandoffReason, 'ESCALATED'>, string>> = {
  CLIENT_REQUEST: 'CLIENT_REQUEST',
  NOT_UNDERSTOOD: 'NOT_UNDERSTOOD',
  LOW_STT_CONFIDENCE: 'LOW_STT_CONFIDENCE',
  AUTHENTICATION_FAILED: 'AUTH_FAILED',
};

/** The reason of an entry that declared injuries before the transfer (served first). */
const INJURIES_REASON = 'INJURIES';

export interface HandoffInput {
  conversationId: string;
  clientId: string | null;
  reasons: string[];
  requestedAt: Date;
}

/** An escalated claim's transfer: the conversation the claim was declared in, and since when. */
export interface ClaimLink {
  claimId: string;
  conversationId: string;
  requestedAt: Date;
}

export type HandoffDecision =
  | { kind: 'queue'; input: HandoffInput }
  /** the claim's own escalation request queues it; its entry refers to this conversation */
  | { kind: 'claim'; link: ClaimLink }
  /** ESCALATED without a claim id (the schema allows null): nothing to link */
  | { kind: 'no-claim' }
  | { kind: 'stale'; ageMs: number };

/**
 * The entry a transfer asks for (or, for an escalated claim, the link of its entry to the
 * conversation). The injuries the client declared before the transfer are a
 * reason too (the queue serves them first). A transfer older than the call requests' limit is
 * history (a replay): nobody is waiting any more.
 */
export function handoffFrom(data: EventDataMap['HandoffRequested'], now: Date): HandoffDecision {
  const requestedAt = new Date(data.requestedAt);
  // a link is a fact, however late it arrives: no age limit
  if (data.reason === 'ESCALATED') {
    if (!data.claimId) return { kind: 'no-claim' };
    return {
      kind: 'claim',
      link: {
        claimId: data.claimId.toLowerCase(),
        conversationId: data.conversationId.toLowerCase(),
        requestedAt,
      },
    };
  }
  const ageMs = now.getTime() - requestedAt.getTime();
  if (ageMs > CALL_REQUEST_MAX_AGE_MS) return { kind: 'stale', ageMs };
  const injuries = (data.collected as { blessures?: unknown }).blessures === true;
  return {
    kind: 'queue',
    input: {
      conversationId: data.conversationId.toLowerCase(),
      clientId: data.clientId ? data.clientId.toLowerCase() : null,
      reasons: normalizeReasons([HANDOFF_REASONS[data.reason], ...(injuries ? [INJURIES_REASON] : [])]),
      requestedAt,
    },
  };
}
