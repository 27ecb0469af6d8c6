// ClientErased (identity): what the queue kept about the erased client goes (docs/security.md,
// Erasure): the advisors' resolution texts, the number he gave for a call-back and the
// request's details. The entries themselves stay: when, which claim, who handled it. Answered
// with EscalationEntriesErased, the proof identity shows as the erasure's progress.
// LeadErased, and ClientErased's leadCaseIds (the lead erased with the client): the call
// requests of the lead's cases lose his words the same way (their keys shredded); a lead's
// erasure alone has no proof (subscribeClientErasure logs it).
import type { EventConsumer } from '@crm/events';
import { subscribeClientErasure } from '@crm/subgraph';
import { type EscalationParts } from '../context';

/** consumer group (and idempotency key) of the erasures */
export const ERASURE_CONSUMER = 'escalation.erasure';

export function subscribeErasure({ runtime, escalations }: EscalationParts): Promise<EventConsumer> {
  return subscribeClientErasure(runtime, 'escalation', ERASURE_CONSUMER, {
    client: (manager, clientId) => escalations.repository.eraseClient(manager, clientId),
    leadCases: (manager, caseIds) => escalations.repository.eraseCases(manager, caseIds),
  });
}
