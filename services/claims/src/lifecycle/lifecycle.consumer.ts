// The claim file moves by itself (issue 19): other domains' facts move a claim along its
// lifecycle, each move recorded in historique_statut with its reason and its cause (the event's
// type and id), ClaimStatusChanged in the same transaction:
// - escalation's EscalationStarted (an advisor took the claim's entry up): ESCALATED -> IN_PROGRESS;
// - reimbursement's ReimbursementAccepted -> VALIDATION (« Montant validé » with the amounts),
//   ReimbursementSettled -> CLOSED (date_fermeture), ReimbursementRejected -> CLOSED with the reason.
// A move the lifecycle does not allow from where the claim stands is not made (claim-routing.rules.ts).
// Once per event (the processed-event row commits with the move); in order per key (the
// reimbursement, the escalation entry). Logs name ids only.
import { topicForEventType, type AnyEvent, type EventConsumer } from '@crm/events';
import { callerOfEvent, type ServiceRuntime } from '@crm/subgraph';
import type { LifecycleCause } from '../claims/claim-routing.rules';
import type { ClaimService } from '../claims/claim.service';

export const LIFECYCLE_CONSUMER = 'claims.lifecycle';
export const LIFECYCLE_TYPES = [
  'EscalationStarted',
  'ReimbursementAccepted',
  'ReimbursementSettled',
  'ReimbursementRejected',
] as const;

/** The claim an event is about and what it says, or null (an entry that is not a claim's). */
export function causeOf(event: AnyEvent): { claimId: string; cause: LifecycleCause } | null {
  if (event.type === 'EscalationStarted')
    return event.data.claimId ? { claimId: event.data.claimId, cause: { kind: 'ESCALATION_STARTED' } } : null;
  if (event.type === 'ReimbursementAccepted')
    return {
      claimId: event.data.claimId,
      cause: {
        kind: 'REIMBURSEMENT_ACCEPTED',
        acceptedCents: event.data.amountAcceptedCents,
        deductibleCents: event.data.deductibleCents,
      },
    };
  if (event.type === 'ReimbursementSettled')
    return {
      claimId: event.data.claimId,
      cause: {
        kind: 'REIMBURSEMENT_SETTLED',
        paidCents: event.data.amountCents,
        paymentMethod: event.data.paymentMethod,
      },
    };
  if (event.type === 'ReimbursementRejected')
    return {
      claimId: event.data.claimId,
      cause: { kind: 'REIMBURSEMENT_REJECTED', reason: event.data.reason },
    };
  return null;
}

export function subscribeLifecycle(runtime: ServiceRuntime, service: ClaimService): Promise<EventConsumer> {
  const { logger } = runtime;
  return runtime.events.subscribe({
    consumer: LIFECYCLE_CONSUMER,
    topics: [...new Set(LIFECYCLE_TYPES.map((t) => topicForEventType(t, runtime.events.catalog).name))],
    types: LIFECYCLE_TYPES,
    handler: async (event, manager) => {
      const found = causeOf(event);
      if (!found) return;
      // the move is the lifecycle's, in the chain of the event that caused it
      const caller = callerOfEvent(LIFECYCLE_CONSUMER, event);
      const claim = await service.followCause(
        manager,
        found.claimId.toLowerCase(),
        found.cause,
        event.type,
        caller,
      );
      if (!claim)
        logger.info(
          { claimId: found.claimId, eventId: event.id, eventType: event.type },
          'lifecycle event about a claim this service does not have: nothing to move',
        );
    },
  });
}
