import { createHash, randomUUID } from 'node:crypto';
import {
  LATEST_VERSIONS,
  type EventDataMap,
  type EventEnvelopeV1,
  type EventType,
  type PartnerInboundMessageV1,
} from './generated/schemas.generated';

export type Actor = EventEnvelopeV1['actor'];

/** The envelope of schemas/events/envelope.v1.json with `type` and `data` tied together. */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: Omit<EventEnvelopeV1, 'type' | 'data'> & { type: K; data: EventDataMap[K] };
}[T];

export type AnyEvent = EventEnvelope;

export interface NewEventOptions {
  /** producing service: claims, identity... */
  source: string;
  /** aggregate id, used as the Kafka key */
  subject: string;
  actor: Actor;
  /** defaults to the new event's own id (it starts a new causal chain) */
  correlationId?: string;
  causationId?: string | null;
  occurredAt?: Date;
  id?: string;
}

export function newEvent<T extends EventType>(
  type: T,
  data: EventDataMap[T],
  options: NewEventOptions,
): EventEnvelope<T> {
  const id = options.id ?? randomUUID();
  const event = {
    id,
    type,
    version: LATEST_VERSIONS[type],
    source: options.source,
    subject: options.subject,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    correlationId: options.correlationId ?? id,
    causationId: options.causationId ?? null,
    actor: options.actor,
    data,
  };
  return event;
}

/** Builds a follow-up event in the causal chain of `cause` (same correlation, caused by it). */
export function causedBy(cause: Pick<AnyEvent, 'id' | 'correlationId'>): {
  correlationId: string;
  causationId: string;
} {
  return { correlationId: cause.correlationId, causationId: cause.id };
}

/** Seed 2, section 4: the journal key of a partner event is sha256(source + source_id), hex. */
export function partnerEventId(source: string, sourceId: string): string {
  return createHash('sha256').update(`${source}${sourceId}`, 'utf8').digest('hex');
}

export type PartnerEventType = PartnerInboundMessageV1['type'];
