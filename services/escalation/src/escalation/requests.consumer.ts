// What asks for a person, read by one consumer: ClaimEscalationRequested (a claim's automatic
// trigger) and CaseCallRequested (a partner's CALL_REQUESTED on a case), both on the claims
// topic, and HandoffRequested (the bot transferred a conversation) on the conversation topic;
// an escalated claim's transfer links the claim's entry to the conversation instead.
// Each entry, its EscalationQueued and its assignment commit with the event's idempotency row.
import { topicForEventType, type EventConsumer } from '@crm/events';
import { callerOfEvent } from '@crm/subgraph';
import { type EscalationParts } from '../context';
import { callRequestFrom } from './call-request';
import { escalationFromRequest } from './escalation-request';
import { handoffFrom } from './handoff-request';

/** consumer group (and idempotency key) of the requests */
export const REQUESTS_CONSUMER = 'escalation.requests';
const REQUEST_TYPES = ['ClaimEscalationRequested', 'CaseCallRequested', 'HandoffRequested'] as const;

export function subscribeRequests({ runtime, escalations, clock }: EscalationParts): Promise<EventConsumer> {
  const { logger } = runtime;
  return runtime.events.subscribe({
    consumer: REQUESTS_CONSUMER,
    topics: [...new Set(REQUEST_TYPES.map((type) => topicForEventType(type, runtime.events.catalog).name))],
    types: REQUEST_TYPES,
    handler: async (event, manager) => {
      const caller = callerOfEvent(REQUESTS_CONSUMER, event);
      if (event.type === 'ClaimEscalationRequested') {
        const input = escalationFromRequest(event.data);
        const entry = await escalations.escalateIn(manager, input, caller);
        // the claim's open entry closed between our insert and our read: retried (backoff)
        if (!entry) throw new Error(`claim ${input.claimId}: open escalation changed, retrying`);
      } else if (event.type === 'CaseCallRequested') {
        const decision = callRequestFrom(event.data, clock());
        if (decision.kind === 'stale') {
          logger.info(
            {
              caseId: event.data.caseId,
              eventId: event.id,
              ageHours: Math.round(decision.ageMs / 3_600_000),
            },
            'call request too old to queue: left in the case journal',
          );
          return;
        }
        const entry = await escalations.queueCallRequestIn(manager, decision.input, caller);
        if (!entry) throw new Error(`case ${decision.input.caseId}: open escalation changed, retrying`);
      } else if (event.type === 'HandoffRequested') {
        const decision = handoffFrom(event.data, clock());
        if (decision.kind === 'claim') {
          // the claim's own ClaimEscalationRequested queues it: its entry refers to the conversation
          await escalations.linkClaimIn(manager, decision.link);
          return;
        }
        if (decision.kind !== 'queue') {
          logger.info(
            { conversationId: event.data.conversationId, eventId: event.id, decision: decision.kind },
            decision.kind === 'no-claim'
              ? "an escalated claim's transfer without the claim's id: nothing to link"
              : 'transfer too old to queue: nobody is waiting any more',
          );
          return;
        }
        const entry = await escalations.queueHandoffIn(manager, decision.input, caller);
        if (!entry) {
          throw new Error(`conversation ${decision.input.conversationId}: open escalation changed, retrying`);
        }
      }
    },
  });
}
