// What a live conversation subscriber receives, and in which order (pure; live.rules.spec.ts).
// Messages and ownership changes carry the conversation's sequence number: a subscriber gets
// each number once, in order, and a number past the next one means some are missing (read
// from the database before it goes on). Typing, queue moves and a message's audio (which
// follows its text, already numbered) carry no number of their own.
import { type AnyEvent } from '@crm/events';
import { type ConversationOwner, type MessageView } from '../conversation/conversation.mapping';
import { type WrittenOwnershipChange } from '../handoff/handoff.events';

export type LiveKind = 'STATE' | 'MESSAGE' | 'OWNERSHIP' | 'TYPING' | 'QUEUE' | 'AUDIO';

/** AUDIO: the audio of a message the subscriber already has (by its id and number). */
export interface LiveAudio {
  messageId: string;
  sequence: number | null;
  url: string;
}

/** One event of Subscription.conversationEvents (type ConversationEvent). */
export interface LiveEvent {
  kind: LiveKind;
  conversationId: string;
  sequence: number | null;
  message?: MessageView;
  ownership?: WrittenOwnershipChange | null;
  owner?: ConversationOwner;
  participant?: 'CLIENT' | 'ADVISOR';
  typing?: boolean;
  escalationId?: string | null;
  audio?: LiveAudio;
  at: Date;
}

export const LIVE_CONVERSATION_TYPES = [
  'MessageRecorded',
  'ConversationOwnershipChanged',
  'ParticipantTyping',
  'MessageAudioReady',
] as const;
/** the queue's moves: a waiting client's place changes */
export const QUEUE_TYPES = ['EscalationQueued', 'AdvisorAssigned', 'EscalationResolved'] as const;

/** The live event a conversation-domain event is, with the conversation it belongs to; null otherwise. */
export function liveEventOf(event: AnyEvent): LiveEvent | null {
  const at = new Date(event.occurredAt);
  if (
    event.type !== 'MessageRecorded' &&
    event.type !== 'ConversationOwnershipChanged' &&
    event.type !== 'ParticipantTyping' &&
    event.type !== 'MessageAudioReady'
  )
    return null;
  switch (event.type) {
    case 'MessageRecorded': {
      const d = event.data;
      if (!d.conversationId) return null;
      return {
        kind: 'MESSAGE',
        conversationId: d.conversationId.toLowerCase(),
        sequence: d.sequence ?? null,
        message: {
          id: d.messageId,
          claimId: d.claimId ?? null,
          conversationId: d.conversationId,
          role: d.role,
          text: d.text ?? null,
          sttTranscript: d.sttTranscript ?? null,
          sttConfidence: d.sttConfidence ?? null,
          audioUrl: d.audioUrl ?? null,
          timestamp: new Date(d.recordedAt),
          metadata: d.metadata ?? null,
          sequence: d.sequence ?? null,
          advisorId: d.advisorId ?? null,
        },
        at,
      };
    }
    case 'ConversationOwnershipChanged': {
      const d = event.data;
      return {
        kind: 'OWNERSHIP',
        conversationId: d.conversationId.toLowerCase(),
        sequence: d.sequence,
        ownership: {
          id: event.id,
          conversationId: d.conversationId,
          claimId: d.claimId ?? null,
          clientId: d.clientId ?? null,
          sequence: d.sequence,
          from: d.from,
          to: d.to,
          cause: d.cause,
          reason: d.reason ?? null,
          advisorId: d.advisorId ?? null,
          advisorName: d.advisorName ?? null,
          escalationId: d.escalationId ?? null,
          at: new Date(d.changedAt),
        },
        owner: d.to,
        at,
      };
    }
    case 'MessageAudioReady': {
      const d = event.data;
      return {
        kind: 'AUDIO',
        conversationId: d.conversationId.toLowerCase(),
        sequence: null,
        audio: { messageId: d.messageId, sequence: d.sequence ?? null, url: d.audioUrl },
        at,
      };
    }
    case 'ParticipantTyping': {
      const d = event.data;
      return {
        kind: 'TYPING',
        conversationId: d.conversationId.toLowerCase(),
        sequence: null,
        participant: d.participant,
        typing: d.typing,
        at,
      };
    }
  }
}

export type Delivery = { kind: 'deliver' } | { kind: 'drop' } | { kind: 'fill'; after: number; upTo: number };

/** What to do with a numbered event given the last number the subscriber has. */
export function deliveryOf(sequence: number | null, last: number): Delivery {
  if (sequence === null) return { kind: 'deliver' };
  if (sequence <= last) return { kind: 'drop' };
  if (sequence === last + 1) return { kind: 'deliver' };
  return { kind: 'fill', after: last, upTo: sequence - 1 };
}
