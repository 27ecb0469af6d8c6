// The live handoff's events, built from what was written (the row and the event cannot disagree).
import { newEvent, type EventEnvelope } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import { SOURCE } from '../conversation/conversation.events';
import { type ConversationOwner } from '../conversation/conversation.mapping';
import { type OwnershipCause } from './handoff.rules';

/** An ownership change as written (conversation_proprietaires). */
export interface WrittenOwnershipChange {
  id: string;
  conversationId: string;
  claimId: string | null;
  clientId: string | null;
  sequence: number;
  from: ConversationOwner;
  to: ConversationOwner;
  cause: OwnershipCause;
  reason: string | null;
  advisorId: string | null;
  advisorName: string | null;
  escalationId: string | null;
  at: Date;
}

const opt = <K extends string, V>(key: K, value: V | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export function ownershipChanged(
  change: WrittenOwnershipChange,
  by: Caller,
): EventEnvelope<'ConversationOwnershipChanged'> {
  return newEvent(
    'ConversationOwnershipChanged',
    {
      conversationId: change.conversationId,
      ...opt('claimId', change.claimId),
      ...opt('clientId', change.clientId),
      from: change.from,
      to: change.to,
      ...opt('advisorId', change.advisorId),
      ...opt('advisorName', change.advisorName),
      ...opt('escalationId', change.escalationId),
      cause: change.cause,
      ...opt('reason', change.reason?.slice(0, 500)),
      sequence: change.sequence,
      changedAt: change.at.toISOString(),
    },
    eventOptions(by, SOURCE, change.conversationId, change.at),
  );
}

export function participantTyping(
  conversationId: string,
  participant: 'CLIENT' | 'ADVISOR',
  advisorId: string | null,
  typing: boolean,
  at: Date,
  by: Caller,
): EventEnvelope<'ParticipantTyping'> {
  return newEvent(
    'ParticipantTyping',
    { conversationId, participant, ...opt('advisorId', advisorId), typing, at: at.toISOString() },
    eventOptions(by, SOURCE, conversationId, at),
  );
}

export interface CallBackOffer {
  conversationId: string;
  claimId: string | null;
  clientId: string | null;
  escalationId: string | null;
  phone: string | null;
  callBackBy: Date;
  offeredAt: Date;
}

export function callBackOffered(offer: CallBackOffer, by: Caller): EventEnvelope<'CallBackOffered'> {
  return newEvent(
    'CallBackOffered',
    {
      conversationId: offer.conversationId,
      ...opt('claimId', offer.claimId),
      ...opt('clientId', offer.clientId),
      ...opt('escalationId', offer.escalationId),
      ...opt('phone', offer.phone),
      callBackBy: offer.callBackBy.toISOString(),
      offeredAt: offer.offeredAt.toISOString(),
    },
    eventOptions(by, SOURCE, offer.conversationId, offer.offeredAt),
  );
}
