// The conversation as the live feed tells it (Subscription.conversationEvents): the single
// source of truth of the transcript. MESSAGE and OWNERSHIP events carry the conversation's
// sequence, gap-free: they are kept by sequence, so a replay (a reload, a reconnection that
// resubscribes from 0) never shows a message twice. STATE says who answers now; QUEUE moves
// the client's place in the advisors' queue; TYPING tells that the advisor is writing.
import type { ChatConversationEventsSubscription, ChatHistoryQuery } from '../generated/graphql';

export type LiveEvent = ChatConversationEventsSubscription['conversationEvents'];
export type Owner = NonNullable<LiveEvent['owner']>;
export type Author = 'bot' | 'client' | 'advisor' | 'system';

export interface TranscriptMessage {
  /** the message's id, or a local id for a fallback message */
  key: string;
  author: Author;
  text: string;
  /** null for a fallback message (shown when the live feed did not bring it) */
  sequence: number | null;
  at: string | null;
  advisorId: string | null;
}

export interface QueuePlace {
  position: number | null;
  estimatedWaitSeconds: number | null;
}

export interface LiveState {
  /** messages by sequence */
  messages: Record<number, TranscriptMessage>;
  /** the last MESSAGE/OWNERSHIP sequence received */
  lastSequence: number;
  owner: Owner | null;
  /** the sequence at which `owner` was known (a replayed older change does not override it) */
  ownerSequence: number;
  /** the first name of the advisor holding the conversation, as the client is told it */
  advisorName: string | null;
  /** names of the advisors seen in the ownership changes, by advisor id */
  advisorNames: Record<string, string>;
  queue: QueuePlace | null;
  advisorTyping: boolean;
  /** the STATE event arrived: the feed is live */
  ready: boolean;
}

export const initialLive: LiveState = {
  messages: {},
  lastSequence: 0,
  owner: null,
  ownerSequence: -1,
  advisorName: null,
  advisorNames: {},
  queue: null,
  advisorTyping: false,
  ready: false,
};

const AUTHORS: Record<string, Author> = {
  BOT: 'bot',
  USER: 'client',
  ADVISOR: 'advisor',
  SYSTEM: 'system',
};

export type LiveAction =
  | { type: 'event'; event: LiveEvent }
  | { type: 'queue'; queue: QueuePlace | null }
  | { type: 'typing-timeout' }
  /** the conversation read over HTTP while the live feed is down (Query.conversation) */
  | { type: 'history'; conversation: NonNullable<ChatHistoryQuery['conversation']> }
  | { type: 'reset' };

function placeOf(escalation: LiveEvent['escalation']): QueuePlace | null {
  if (!escalation) return null;
  return { position: escalation.position, estimatedWaitSeconds: escalation.estimatedWaitSeconds };
}

function withOwnership(state: LiveState, ownership: NonNullable<LiveEvent['ownership']>): LiveState {
  let next = state;
  if (ownership.advisor && ownership.advisorName) {
    next = {
      ...next,
      advisorNames: { ...next.advisorNames, [ownership.advisor.id]: ownership.advisorName },
    };
  }
  if (ownership.sequence > next.ownerSequence) {
    next = {
      ...next,
      owner: ownership.to,
      ownerSequence: ownership.sequence,
      advisorName: ownership.to === 'ADVISOR' ? (ownership.advisorName ?? null) : null,
      queue: ownership.to === 'WAITING_FOR_ADVISOR' ? next.queue : null,
      advisorTyping: ownership.to === 'ADVISOR' ? next.advisorTyping : false,
    };
  }
  return next;
}

type LiveMessage = NonNullable<LiveEvent['message']>;

function withMessage(state: LiveState, message: LiveMessage, sequence: number): LiveState {
  const lastSequence = Math.max(state.lastSequence, sequence);
  const author = AUTHORS[message.role] ?? 'system';
  if (state.messages[sequence] !== undefined || !message.text) return { ...state, lastSequence };
  return {
    ...state,
    lastSequence,
    // the advisor stops typing once his message is there
    advisorTyping: author === 'advisor' ? false : state.advisorTyping,
    messages: {
      ...state.messages,
      [sequence]: {
        key: message.id,
        author,
        text: message.text,
        sequence,
        at: message.timestamp,
        advisorId: message.advisor?.id ?? null,
      },
    },
  };
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'history': {
      const { conversation } = action;
      let next = state;
      for (const message of conversation.messages) {
        if (message.sequence !== null) next = withMessage(next, message, message.sequence);
      }
      if (conversation.ownership) next = withOwnership(next, conversation.ownership);
      if (conversation.lastSequence >= next.ownerSequence && conversation.owner !== next.owner) {
        next = {
          ...next,
          owner: conversation.owner,
          ownerSequence: conversation.lastSequence,
          advisorName: conversation.owner === 'ADVISOR' ? next.advisorName : null,
          queue: conversation.owner === 'WAITING_FOR_ADVISOR' ? next.queue : null,
        };
      }
      return { ...next, lastSequence: Math.max(next.lastSequence, conversation.lastSequence) };
    }
    case 'reset':
      return initialLive;
    case 'typing-timeout':
      return state.advisorTyping ? { ...state, advisorTyping: false } : state;
    case 'queue':
      return state.owner === 'WAITING_FOR_ADVISOR' ? { ...state, queue: action.queue } : state;
    case 'event':
      break;
  }
  const event = action.event;
  switch (event.kind) {
    case 'STATE': {
      let next: LiveState = { ...state, ready: true };
      if (event.ownership) next = withOwnership(next, event.ownership);
      const at = event.sequence ?? 0;
      if (event.owner && at >= next.ownerSequence) {
        next = {
          ...next,
          owner: event.owner,
          ownerSequence: at,
          advisorName:
            event.owner === 'ADVISOR'
              ? ((event.ownership?.to === 'ADVISOR' ? event.ownership.advisorName : null) ?? next.advisorName)
              : null,
          queue: event.owner === 'WAITING_FOR_ADVISOR' ? (placeOf(event.escalation) ?? next.queue) : null,
        };
      }
      return next;
    }
    case 'QUEUE':
      return { ...state, queue: placeOf(event.escalation) ?? state.queue };
    case 'TYPING':
      return event.participant === 'ADVISOR' ? { ...state, advisorTyping: event.typing === true } : state;
    case 'OWNERSHIP': {
      if (!event.ownership) return state;
      const next = withOwnership(state, event.ownership);
      return { ...next, lastSequence: Math.max(next.lastSequence, event.sequence ?? 0) };
    }
    case 'MESSAGE': {
      const sequence = event.sequence ?? event.message?.sequence ?? null;
      if (!event.message || sequence === null) return state;
      return withMessage(state, event.message, sequence);
    }
    // the bot's audio: the page plays it (late-audio.ts); the transcript has the text already
    case 'AUDIO':
      return state;
    default:
      return state;
  }
}

/** The transcript in the conversation's order. */
export function transcriptOf(state: LiveState): TranscriptMessage[] {
  return Object.values(state.messages).sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
}
