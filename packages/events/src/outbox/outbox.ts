import { type EntityManager } from 'typeorm';
import { SpanKind, traceHeadersOf, TRACING_OFF, type Tracing } from '@crm/tracing';
import { topicForEventType, type TopicCatalog } from '../catalog';
import { type AnyEvent } from '../envelope';
import { EventError } from '../errors';
import { personalDataOf, sealEvent, type EventKeys } from '../privacy/sealing';
import { validateEvent } from '../schema/validation';
import { OUTBOX_TABLE } from './migrations';

/**
 * Writes events into the outbox inside the caller's transaction: they become visible (and are
 * published) only if the state change commits, and they are lost only if it rolls back.
 * With tracing on, each event gets a producer span (a child of the request or event being
 * handled) whose trace context is stored in the row's headers: the relay publishes later, from
 * a context of its own, and sends those headers with the record (docs/operations.md, Traces).
 * An event whose schema marks personal fields is sealed here, in the same transaction, under the
 * subject's data key (privacy/sealing.ts): the row, the topic and its dead letters hold only
 * ciphertext. Without keys, such an event is refused (EVENT.UNSEALED_PERSONAL_DATA).
 */
export class Outbox {
  constructor(
    private readonly catalog: TopicCatalog,
    private readonly tracing: Tracing = TRACING_OFF,
    private readonly keys?: EventKeys,
  ) {}

  async publish(manager: EntityManager, events: AnyEvent | readonly AnyEvent[]): Promise<void> {
    const list = Array.isArray(events) ? (events as readonly AnyEvent[]) : [events as AnyEvent];
    if (!list.length) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'outbox.publish needs the EntityManager of an open transaction (dataSource.transaction)',
      );
    }
    const sealed: AnyEvent[] = [];
    for (const event of list) {
      validateEvent(event);
      if (personalDataOf(event) && !this.keys)
        throw new EventError(
          'EVENT.UNSEALED_PERSONAL_DATA',
          `${event.type} carries personal fields and this backbone has no keys to seal them`,
        );
      const wire = this.keys ? await sealEvent(event, this.keys, manager) : event;
      // the form consumers validate: a schema the sealing does not fit fails here, not in a DLQ
      if (wire !== event) validateEvent(wire);
      sealed.push(wire);
    }
    const values: unknown[] = [];
    const rows = sealed.map((event, i) => {
      const topic = topicForEventType(event.type, this.catalog).name;
      values.push(
        event.id,
        event.type,
        topic,
        event.subject,
        JSON.stringify(event),
        this.headersOf(event, topic),
      );
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::json, $${b + 6}::jsonb)`;
    });
    await manager.query(
      `insert into ${OUTBOX_TABLE} (event_id, event_type, topic, message_key, payload, headers) values ${rows.join(', ')}`,
      values,
    );
  }

  /** The row's Kafka headers: the producer span's trace context, captured now (JSON). */
  private headersOf(event: AnyEvent, topic: string): string {
    if (!this.tracing.enabled) return '{}';
    const span = this.tracing.tracer.startSpan(`publish ${topic}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'publish',
        'messaging.destination.name': topic,
        'messaging.message.id': event.id,
        'crm.event.type': event.type,
      },
    });
    span.end();
    return JSON.stringify(traceHeadersOf(span));
  }
}
