// A conversation live: STATE, then the messages and ownership changes after afterSequence, then
// each one as it happens. Items are kept by sequence, so a replay after a reconnect (the socket
// subscribes again with the same afterSequence) adds nothing twice and misses nothing.
import { useSubscription } from 'urql';
import type { ConsoleConversationEventsSubscription, ConversationOwner } from '../generated/graphql';
import { CONVERSATION_EVENTS } from './operations';

type Event = ConsoleConversationEventsSubscription['conversationEvents'];
export type FeedMessage = NonNullable<Event['message']>;
export type FeedOwnership = NonNullable<Event['ownership']>;
export type FeedItem =
  | { type: 'message'; sequence: number; message: FeedMessage }
  | { type: 'ownership'; sequence: number; ownership: FeedOwnership };

export interface ConversationFeed {
  items: FeedItem[];
  owner: ConversationOwner | null;
  holderId: string | null;
  lastSequence: number;
  /** when the client last said he was typing (ms), null once he stopped */
  clientTypingAt: number | null;
}

const EMPTY: ConversationFeed = {
  items: [],
  owner: null,
  holderId: null,
  lastSequence: 0,
  clientTypingAt: null,
};

function insert(items: FeedItem[], item: FeedItem): FeedItem[] {
  if (items.some((i) => i.sequence === item.sequence)) return items;
  return [...items, item].sort((a, b) => a.sequence - b.sequence);
}

export function applyEvent(feed: ConversationFeed, event: Event): ConversationFeed {
  switch (event.kind) {
    case 'STATE':
      return {
        ...feed,
        owner: event.owner ?? feed.owner,
        holderId: event.ownership?.to === 'ADVISOR' ? (event.ownership.advisor?.id ?? null) : null,
        lastSequence: Math.max(feed.lastSequence, event.sequence ?? 0),
      };
    case 'MESSAGE': {
      const message = event.message;
      const sequence = event.sequence ?? message?.sequence;
      if (!message || sequence == null) return feed;
      return {
        ...feed,
        items: insert(feed.items, { type: 'message', sequence, message }),
        lastSequence: Math.max(feed.lastSequence, sequence),
        // a message from the client ends his typing
        clientTypingAt: message.role === 'USER' ? null : feed.clientTypingAt,
      };
    }
    case 'OWNERSHIP': {
      const ownership = event.ownership;
      const sequence = event.sequence ?? ownership?.sequence;
      if (!ownership || sequence == null) return feed;
      const newer = sequence >= feed.lastSequence;
      return {
        ...feed,
        items: insert(feed.items, { type: 'ownership', sequence, ownership }),
        owner: newer ? ownership.to : feed.owner,
        holderId: newer
          ? ownership.to === 'ADVISOR'
            ? (ownership.advisor?.id ?? null)
            : null
          : feed.holderId,
        lastSequence: Math.max(feed.lastSequence, sequence),
      };
    }
    case 'TYPING':
      if (event.participant !== 'CLIENT') return feed;
      return { ...feed, clientTypingAt: event.typing ? Date.now() : null };
    case 'QUEUE':
      return feed;
    // the bot's audio for the client's chat: the console shows the text
    case 'AUDIO':
      return feed;
  }
}

export function useConversationFeed(conversationId: string) {
  const [result] = useSubscription(
    // 0: the whole conversation (its newest 500), then live; kept by sequence
    { query: CONVERSATION_EVENTS, variables: { conversationId, afterSequence: 0 } },
    (prev: ConversationFeed = EMPTY, data) =>
      data.conversationEvents.conversationId === conversationId
        ? applyEvent(prev, data.conversationEvents)
        : prev,
  );
  return { feed: result.data ?? EMPTY, error: result.error };
}
