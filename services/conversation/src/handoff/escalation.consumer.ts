// The advisors' queue moves who answers the client (escalation's events): the entry about a
// waiting conversation (EscalationQueued), the advisor who takes it (AdvisorAssigned: the client
// is told who answers), and its end (EscalationResolved). Matched by the conversation's id, else
// by the claim it declared, else by the entry. Idempotent: the backbone records each event, and
// the state machine ignores a move already made.
import { topicForEventType } from '@crm/events';
import { callerOfEvent, type ServiceRuntime } from '@crm/subgraph';
import { type HandoffService } from './handoff.service';

export const HANDOFF_CONSUMER = 'conversation.handoff';
const TYPES = ['EscalationQueued', 'AdvisorAssigned', 'EscalationResolved'] as const;

export async function subscribeEscalations(runtime: ServiceRuntime, handoff: HandoffService): Promise<void> {
  await runtime.events.subscribe({
    consumer: HANDOFF_CONSUMER,
    topics: [...new Set(TYPES.map((t) => topicForEventType(t, runtime.events.catalog).name))],
    types: TYPES,
    handler: async (event, manager) => {
      const caller = callerOfEvent(HANDOFF_CONSUMER, event);
      // what the client reads is stamped when it is written, like the bot's turns
      const now = runtime.clock();
      if (event.type === 'EscalationQueued') {
        const d = event.data;
        await handoff.queuedIn(
          manager,
          { conversationId: d.conversationId, claimId: d.claimId },
          d.escalationId,
        );
      } else if (event.type === 'AdvisorAssigned') {
        const d = event.data;
        await handoff.assignedIn(
          manager,
          { conversationId: d.conversationId, claimId: d.claimId, escalationId: d.escalationId },
          d.escalationId,
          { id: d.advisorId, name: d.advisorName },
          caller,
          now,
        );
      } else if (event.type === 'EscalationResolved') {
        const d = event.data;
        await handoff.resolvedIn(
          manager,
          { conversationId: d.conversationId, claimId: d.claimId, escalationId: d.escalationId },
          // absent: the entry's person was erased before it was resolved
          d.resolution ?? null,
          caller,
          now,
        );
      }
    },
  });
}
