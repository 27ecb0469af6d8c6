import { type EntityManager } from 'typeorm';
import { topicForEventType, type TopicCatalog } from '../catalog';
import { type AnyEvent } from '../envelope';
import { validateEvent } from '../schema/validation';
import { OUTBOX_TABLE } from './migrations';

/**
 * Writes events into the outbox inside the caller's transaction: they become visible (and are
 * published) only if the state change commits, and they are lost only if it rolls back.
 */
export class Outbox {
  constructor(private readonly catalog: TopicCatalog) {}

  async publish(manager: EntityManager, events: AnyEvent | readonly AnyEvent[]): Promise<void> {
    const list = Array.isArray(events) ? (events as readonly AnyEvent[]) : [events as AnyEvent];
    if (!list.length) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'outbox.publish needs the EntityManager of an open transaction (dataSource.transaction)',
      );
    }
    const values: unknown[] = [];
    const rows = list.map((event, i) => {
      validateEvent(event);
      const topic = topicForEventType(event.type, this.catalog).name;
      values.push(event.id, event.type, topic, event.subject, JSON.stringify(event));
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::json)`;
    });
    await manager.query(
      `insert into ${OUTBOX_TABLE} (event_id, event_type, topic, message_key, payload) values ${rows.join(', ')}`,
      values,
    );
  }
}
