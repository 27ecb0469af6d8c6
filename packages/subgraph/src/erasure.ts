// A service's proof that it did its part of a GDPR erasure (docs/security.md, Erasure): each
// service that holds something of a client answers identity's ClientErased with an event of
// its own domain, in the transaction of its erasure; identity shows them to supervisors as the
// erasure's progress. Carries no personal data: the client's id, what it answers, when, how many.
import {
  newEvent,
  rejectEvent,
  topicForEventType,
  type AnyEvent,
  type EventConsumer,
  type EventEnvelope,
} from '@crm/events';
import type { EntityManager } from 'typeorm';
import { callerOfEvent, eventOptions } from './caller';
import { isUuid } from './ids';
import type { ServiceRuntime } from './service';

/** The proofs, one per service that erases something (their schemas: schemas/events/<domain>). */
export const ERASURE_PROOFS = {
  conversation: 'ConversationsErased',
  claims: 'ClaimsErased',
  escalation: 'EscalationEntriesErased',
  reimbursement: 'ReimbursementsErased',
} as const;

export type ErasureProofType = (typeof ERASURE_PROOFS)[keyof typeof ERASURE_PROOFS];

/**
 * `service`'s proof of its part of `erasure`, by its consumer `consumer`: `items` records emptied
 * at `at`. Keyed by the client, as ClientErased is.
 */
export function erasureProof<S extends keyof typeof ERASURE_PROOFS>(
  service: S,
  consumer: string,
  erasure: EventEnvelope<'ClientErased'>,
  items: number,
  at: Date,
): EventEnvelope<(typeof ERASURE_PROOFS)[S]> {
  const { clientId } = erasure.data;
  return newEvent(
    ERASURE_PROOFS[service],
    { clientId, erasureEventId: erasure.id, erasedAt: at.toISOString(), items },
    eventOptions(callerOfEvent(consumer, erasure), service, clientId, at),
  );
}

/**
 * Subscribes `consumer` to ClientErased: `erase` empties what `service` holds of the client in
 * the consumer's transaction and says how many records it emptied; the proof is published in
 * the same transaction. A client id that is not a UUID names nobody: dead-lettered at once.
 */
export function subscribeClientErasure(
  runtime: ServiceRuntime,
  service: keyof typeof ERASURE_PROOFS,
  consumer: string,
  erase: (manager: EntityManager, clientId: string, now: Date) => Promise<number>,
): Promise<EventConsumer> {
  return runtime.events.subscribe({
    consumer,
    topics: [topicForEventType('ClientErased', runtime.events.catalog).name],
    types: ['ClientErased'],
    handler: async (event, manager) => {
      if (event.type !== 'ClientErased') return;
      const { clientId } = event.data;
      if (!isUuid(clientId)) throw rejectEvent(`ClientErased ${event.id}: ${clientId} is not a UUID`);
      const now = runtime.clock();
      const items = await erase(manager, clientId, now);
      // one of the proofs' types, known only at run time: the envelope is any of them
      const proof = erasureProof(service, consumer, event, items, now) as AnyEvent;
      await runtime.events.outbox.publish(manager, [proof]);
      runtime.logger.info({ eventId: event.id, service, items }, 'client erased: records emptied');
    },
  });
}
