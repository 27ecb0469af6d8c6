// A service's proof that it did its part of a GDPR erasure (docs/security.md, Erasure): each
// service that holds something of a client answers identity's ClientErased with an event of
// its own domain, in the transaction of its erasure; identity shows them to supervisors as the
// erasure's progress. Carries no personal data: the client's id, what it answers, when, how many.
// A lead's erasure (LeadErased) is answered the same way by the services that hold its cases.
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

/** The proofs of a lead's erasure, one per service that holds something of a lead's cases. */
export const LEAD_ERASURE_PROOFS = {
  claims: 'LeadCasesErased',
  escalation: 'LeadCallRequestsErased',
} as const;

/** `service`'s proof of its part of one LeadErased event: `items` records emptied at `at`. Keyed by the lead. */
export function leadErasureProof<S extends keyof typeof LEAD_ERASURE_PROOFS>(
  service: S,
  consumer: string,
  erasure: EventEnvelope<'LeadErased'>,
  items: number,
  at: Date,
): EventEnvelope<(typeof LEAD_ERASURE_PROOFS)[S]> {
  const { leadRecordId } = erasure.data;
  return newEvent(
    LEAD_ERASURE_PROOFS[service],
    { leadRecordId, erasureEventId: erasure.id, erasedAt: at.toISOString(), items },
    eventOptions(callerOfEvent(consumer, erasure), service, leadRecordId, at),
  );
}

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

/** What a service erases: a client's records, and (when it holds any) the cases of an erased lead. */
export interface ErasureHandlers {
  /** empties what the service holds of the client, in the consumer's transaction; how many records */
  client: (manager: EntityManager, clientId: string, now: Date) => Promise<number>;
  /**
   * empties what it holds of these cases of an erased lead (LeadErased, or ClientErased's
   * leadCaseIds: the lead that shared the client's e-mail); how many records
   */
  leadCases?: (manager: EntityManager, caseIds: readonly string[], now: Date) => Promise<number>;
  /**
   * empties what it holds of a person's partner messages, by the digest of his e-mail
   * (LeadErased and ClientErased's partnerKey: the partners' dead letters claims sealed under
   * it); how many records
   */
  partnerData?: (manager: EntityManager, partnerKey: string, now: Date) => Promise<number>;
}

/** The digest an erasure event carries (absent from LeadErased v1 and ClientErased v1-v2). */
const partnerKeyOf = (data: object): string | undefined => {
  const key = (data as { partnerKey?: unknown }).partnerKey;
  return typeof key === 'string' ? key : undefined;
};

/**
 * Subscribes `consumer` to ClientErased (and LeadErased when the service holds cases): the
 * handlers empty what `service` holds in the consumer's transaction and say how many records;
 * the proof (ERASURE_PROOFS for a client, LEAD_ERASURE_PROOFS for a lead) is published in the
 * same transaction. A client or lead id that is not a UUID names nobody: dead-lettered.
 */
export function subscribeClientErasure(
  runtime: ServiceRuntime,
  service: keyof typeof ERASURE_PROOFS,
  consumer: string,
  erase: ErasureHandlers['client'] | ErasureHandlers,
): Promise<EventConsumer> {
  const handlers: ErasureHandlers = typeof erase === 'function' ? { client: erase } : erase;
  const { leadCases, partnerData } = handlers;
  const partner = async (manager: EntityManager, data: object, now: Date): Promise<number> => {
    const key = partnerKeyOf(data);
    return partnerData && key !== undefined ? partnerData(manager, key, now) : 0;
  };
  const leadProof = service in LEAD_ERASURE_PROOFS ? (service as keyof typeof LEAD_ERASURE_PROOFS) : null;
  // a service that erases leads' cases proves it: declared in LEAD_ERASURE_PROOFS, or refused here
  if (leadCases && !leadProof)
    throw new Error(`${service} erases leads' cases but has no proof in LEAD_ERASURE_PROOFS`);
  const types = leadCases ? (['ClientErased', 'LeadErased'] as const) : (['ClientErased'] as const);
  return runtime.events.subscribe({
    consumer,
    topics: [topicForEventType('ClientErased', runtime.events.catalog).name],
    types,
    handler: async (event, manager) => {
      const now = runtime.clock();
      if (event.type === 'LeadErased') {
        if (!leadCases) return;
        const { leadRecordId, caseIds } = event.data;
        if (!isUuid(leadRecordId)) throw rejectEvent(`LeadErased ${event.id}: ${leadRecordId} is not a UUID`);
        const items = (await leadCases(manager, caseIds, now)) + (await partner(manager, event.data, now));
        const proof = leadErasureProof(leadProof!, consumer, event, items, now) as AnyEvent;
        await runtime.events.outbox.publish(manager, [proof]);
        runtime.logger.info({ eventId: event.id, service, items }, 'lead erased: records emptied');
        return;
      }
      if (event.type !== 'ClientErased') return;
      const { clientId } = event.data;
      if (!isUuid(clientId)) throw rejectEvent(`ClientErased ${event.id}: ${clientId} is not a UUID`);
      const caseIds = event.data.leadCaseIds ?? [];
      const items =
        (await handlers.client(manager, clientId, now)) +
        (leadCases && caseIds.length > 0 ? await leadCases(manager, caseIds, now) : 0) +
        (await partner(manager, event.data, now));
      // one of the proofs' types, known only at run time: the envelope is any of them
      const proof = erasureProof(service, consumer, event, items, now) as AnyEvent;
      await runtime.events.outbox.publish(manager, [proof]);
      runtime.logger.info({ eventId: event.id, service, items }, 'client erased: records emptied');
    },
  });
}
