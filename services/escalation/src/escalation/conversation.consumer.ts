// What the live conversation tells the queue, read by one consumer on the conversation topic:
// ConversationOwnershipChanged (the advisor handed the client back to the bot, or closed the
// conversation: its entry is resolved) and CallBackOffered (nobody took the transfer in time:
// its entry becomes a call-back). Each change commits with the event's idempotency row.
// HandoffRequested, on the same topic, is the requests consumer's (requests.consumer.ts).
// Both events carry personal fields sealed under the conversation's key (the advisor's
// resolution, the number to call), opened with the key the conversation service releases.
import { topicForEventType, type EventConsumer } from '@crm/events';
import { callerOfEvent } from '@crm/subgraph';
import { type EscalationParts } from '../context';
import { callBackFrom, ownershipDecision } from './conversation-events';

/** consumer group (and idempotency key) of the conversation's changes */
export const CONVERSATION_CONSUMER = 'escalation.conversation';
const CONVERSATION_TYPES = ['ConversationOwnershipChanged', 'CallBackOffered'] as const;

export function subscribeConversation({ runtime, escalations }: EscalationParts): Promise<EventConsumer> {
  const { logger } = runtime;
  return runtime.events.subscribe({
    consumer: CONVERSATION_CONSUMER,
    topics: [
      ...new Set(CONVERSATION_TYPES.map((type) => topicForEventType(type, runtime.events.catalog).name)),
    ],
    types: CONVERSATION_TYPES,
    // the conversation's client erased (its key shredded) before the event is read: the entry
    // is still resolved, or still marked, without his words (no resolution typed, no number);
    // skipping the event would leave the advisor's slot taken by a conversation that is over
    erased: 'strip',
    handler: async (event, manager) => {
      const caller = callerOfEvent(CONVERSATION_CONSUMER, event);
      if (event.type === 'ConversationOwnershipChanged') {
        const decision = ownershipDecision(event.data);
        if (decision.kind === 'ignore') return;
        const ended = await escalations.endConversationIn(manager, decision.ref, decision.resolution, caller);
        if (ended.kind === 'waiting') {
          // only an advisor holding the conversation can hand it back or close it: a stray change
          logger.warn(
            { conversationId: event.data.conversationId, escalationId: ended.entry.id, eventId: event.id },
            'the conversation was let go while its entry still waits: left in the queue',
          );
        } else if (ended.kind === 'none') {
          logger.info(
            { conversationId: event.data.conversationId, eventId: event.id },
            'no open entry for the conversation: nothing to resolve',
          );
        }
      } else if (event.type === 'CallBackOffered') {
        const entry = await escalations.offerCallBackIn(manager, callBackFrom(event.data));
        if (!entry) {
          logger.info(
            { conversationId: event.data.conversationId, eventId: event.id },
            'call-back offered for a conversation without an open entry: nothing to mark',
          );
        }
      }
    },
  });
}
