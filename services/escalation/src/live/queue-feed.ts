// The live feed behind `Subscription.escalationQueue` and `Subscription.myAssignments`.
// Every process consumes the escalation topic in a consumer group of its own (every replica
// sees every change; the group is ephemeral: no idempotency rows, deleted when the process
// stops) and fans each change out to its local subscribers once, in the topic's order
// (the topic is keyed by entry, so per-entry order holds through the fan-out: one listener
// call per change, synchronously, in delivery order).
// A subscriber first gets the snapshot (open entries, then SNAPSHOT_COMPLETE), then changes.
// No gap, no double: the subscriber listens before the snapshot is read, and a change whose
// event the snapshot's transaction could already see in the outbox is dropped.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Not, type EntityManager } from 'typeorm';
import { OUTBOX_TABLE, topicForEventType, type AnyEvent } from '@crm/events';
import { PushIterator, type ServiceRuntime, isUuid } from '@crm/subgraph';
import type { EscalationCipher } from '../escalation/escalation.cipher';
import { EscalationEntity } from '../escalation/escalation.entity';
import { toEscalationView } from '../escalation/escalation.mapping';
import {
  advisorsNamed,
  changeKindOf,
  concernsAdvisor,
  isLive,
  isNewerThanSnapshot,
  LIVE_EVENT_TYPES,
  type QueueChange,
} from './live.rules';

/** how long the outbox ids seen by a snapshot are kept to drop their late deliveries */
const SNAPSHOT_OVERLAP_MS = 10 * 60_000;

type Listener = (change: QueueChange) => void;

export class QueueFeed {
  private readonly listeners = new Set<Listener>();
  /** ids of the changes this feed has fanned out lately (id -> when), oldest first */
  private readonly delivered = new Map<string, number>();
  private startedAt = new Date();
  readonly consumer = `escalation.live.${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly runtime: ServiceRuntime,
    /** the entries' words are sealed at rest: opened before they are shown */
    private readonly cipher: EscalationCipher,
  ) {}

  async start(): Promise<void> {
    this.startedAt = new Date();
    const { events } = this.runtime;
    const topics = [...new Set(LIVE_EVENT_TYPES.map((t) => topicForEventType(t, events.catalog).name))];
    await events.subscribe({
      consumer: this.consumer,
      topics,
      types: LIVE_EVENT_TYPES,
      handler: (event, manager) => this.onEvent(event, manager),
      // this process's own group: deleted on stop, no idempotency rows (redeliveries below)
      ephemeral: true,
    });
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  private async onEvent(event: AnyEvent, manager: EntityManager): Promise<void> {
    const kind = changeKindOf(event.type);
    if (!kind || !isLive(new Date(event.occurredAt), this.startedAt)) return;
    // a redelivery (after a rebalance or a restart of the consumer) was fanned out already
    if (this.delivered.has(event.id)) return;
    try {
      if (!this.listeners.size) return;
      const entryId = (event.data as { escalationId?: unknown }).escalationId;
      if (typeof entryId !== 'string') return;
      const found = await manager.getRepository(EscalationEntity).findOneBy({ id: entryId });
      if (!found) return;
      const [row] = await this.cipher.open([found], manager);
      const change: QueueChange = {
        kind,
        entry: toEscalationView(row!),
        at: new Date(event.occurredAt),
        eventId: event.id,
        advisorIds: advisorsNamed(event.data),
      };
      for (const listener of this.listeners) listener(change);
    } finally {
      // only once every current listener had it (a snapshot completing meanwhile relies on it)
      this.remember(event.id);
    }
  }

  private remember(eventId: string): void {
    const now = Date.now();
    this.delivered.set(eventId, now);
    for (const [id, at] of this.delivered) {
      if (at >= now - SNAPSHOT_OVERLAP_MS) break;
      this.delivered.delete(id);
    }
  }

  /** Snapshot, then changes; `advisorId` narrows both to one advisor's entries. */
  subscribe(advisorId?: string): AsyncIterableIterator<QueueChange> {
    const mine = (c: QueueChange) => advisorId === undefined || concernsAdvisor(c, advisorId);
    let pending: QueueChange[] | undefined = [];
    let visible: ReadonlySet<string> = new Set();
    const listener: Listener = (change) => {
      if (!mine(change)) return;
      if (pending) pending.push(change);
      else if (isNewerThanSnapshot(change, visible)) iterator.push(change);
    };
    const iterator = new PushIterator<QueueChange>(() => this.listeners.delete(listener));
    this.listeners.add(listener);
    this.snapshot(advisorId).then(
      ({ entries, eventIds }) => {
        const at = new Date();
        for (const entry of entries) {
          iterator.push({ kind: 'SNAPSHOT', entry, at, eventId: null, advisorIds: [] });
        }
        iterator.push({ kind: 'SNAPSHOT_COMPLETE', entry: null, at, eventId: null, advisorIds: [] });
        const buffered = pending ?? [];
        pending = undefined;
        for (const change of buffered) if (isNewerThanSnapshot(change, eventIds)) iterator.push(change);
        // from now on only the snapshot's events not fanned out yet can still arrive: keeping
        // just those bounds each subscriber's memory by the changes in flight, not the traffic
        visible = new Set([...eventIds].filter((id) => !this.delivered.has(id)));
        // after a while no delivery can predate the snapshot any more
        setTimeout(() => (visible = new Set()), SNAPSHOT_OVERLAP_MS).unref();
      },
      (err: unknown) => iterator.fail(err),
    );
    return iterator;
  }

  private snapshot(advisorId?: string) {
    // an advisor's id is a UUID; another subject holds nothing
    if (advisorId !== undefined && !isUuid(advisorId)) {
      return Promise.resolve({ entries: [], eventIds: new Set<string>() });
    }
    return this.runtime.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const rows = await this.cipher.open(
        await tx.getRepository(EscalationEntity).find({
          where: { status: Not('resolue'), ...(advisorId ? { advisorId } : {}) },
          order: { priority: 'DESC', queuedAt: 'ASC', id: 'ASC' },
        }),
        tx,
      );
      const ids = await tx.query<{ event_id: string }[]>(
        `select event_id from ${OUTBOX_TABLE} where created_at > clock_timestamp() - ($1 || ' milliseconds')::interval`,
        [String(SNAPSHOT_OVERLAP_MS)],
      );
      return { entries: rows.map(toEscalationView), eventIds: new Set(ids.map((r) => r.event_id)) };
    });
  }
}
