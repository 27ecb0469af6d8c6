// The live feed behind `Subscription.conversationEvents`. Every process consumes the conversation
// topics (its events, and its messages on a topic of their own) and escalation's queue moves in a
// consumer group of its own (every replica sees every change; ephemeral: no idempotency rows,
// deleted when the process stops) and hands each event to the local subscribers of its
// conversation. A subscriber gets STATE, then what it missed after its `afterSequence` read from
// the database, then live events: each sequence number once and in order (a late or repeated one is
// dropped, a gap is read from the database before going on), so it may reconnect to any gateway and
// any replica with its last number and lose nothing.
import type { PersonalDataVault } from '@crm/privacy';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { topicForEventType, type AnyEvent } from '@crm/events';
import { PushIterator, type ServiceRuntime } from '@crm/subgraph';
import { ownerToGraph, type ConversationOwner } from '../conversation/conversation.mapping';
import { HandoffRepository, toOwnershipChange } from '../handoff/handoff.repository';
import { notFound } from '../errors';
import { deliveryOf, liveEventOf, LIVE_CONVERSATION_TYPES, QUEUE_TYPES, type LiveEvent } from './live.rules';

/** What a subscriber reads from the database: its conversation, and the sequence it missed. */
export type FeedStore = Pick<HandoffRepository, 'conversationById' | 'latestChanges' | 'sequencePage'>;

/** One subscriber: its conversation, what it has, and its events in order. */
export class Subscriber {
  last = 0;
  owner: ConversationOwner = 'BOT';
  escalationId: string | null = null;
  claimIds = new Set<string>();
  private ready = false;
  private readonly pending: LiveEvent[] = [];
  private chain: Promise<void> = Promise.resolve();
  readonly iterator: PushIterator<LiveEvent>;

  constructor(
    readonly conversationId: string,
    private readonly repo: FeedStore,
    onClose: () => void,
  ) {
    this.iterator = new PushIterator<LiveEvent>(onClose);
  }

  /** STATE, then the sequence after `afterSequence` (null: from now on), then live events. */
  async open(afterSequence: number | null): Promise<void> {
    const row = await this.repo.conversationById(this.conversationId);
    if (!row) throw notFound('conversation', this.conversationId);
    this.owner = ownerToGraph(row.owner);
    this.escalationId = row.escalationId;
    for (const id of [row.claimId, row.reservedClaimId]) if (id) this.claimIds.add(id.toLowerCase());
    const [latest] = await this.repo.latestChanges([row.id]);
    this.iterator.push({
      kind: 'STATE',
      conversationId: row.id,
      sequence: row.lastSequence,
      owner: this.owner,
      ownership: latest ? toOwnershipChange(latest, row) : null,
      escalationId: this.holdsQueuePlace() ? this.escalationId : null,
      at: new Date(),
    });
    this.last = afterSequence ?? row.lastSequence;
    await this.fill(this.last, row.lastSequence);
    this.ready = true;
    for (const event of this.pending.splice(0)) this.offer(event);
  }

  /** A live event of this conversation (or a queue move): in order, after the replay. */
  offer(event: LiveEvent): void {
    if (!this.ready) {
      this.pending.push(event);
      return;
    }
    this.chain = this.chain.then(() => this.handle(event)).catch((err: unknown) => this.iterator.fail(err));
  }

  private async handle(event: LiveEvent): Promise<void> {
    if (event.kind === 'QUEUE') {
      if (this.holdsQueuePlace()) this.iterator.push({ ...event, escalationId: this.escalationId });
      return;
    }
    const delivery = deliveryOf(event.sequence, this.last);
    if (delivery.kind === 'drop') return;
    if (delivery.kind === 'fill') await this.fill(delivery.after, delivery.upTo);
    if (event.sequence !== null && event.sequence <= this.last) return;
    this.emit(event);
  }

  private holdsQueuePlace(): boolean {
    return this.owner === 'WAITING_FOR_ADVISOR' && this.escalationId !== null;
  }

  private emit(event: LiveEvent): void {
    if (event.sequence !== null) this.last = event.sequence;
    if (event.kind === 'OWNERSHIP' && event.owner) {
      this.owner = event.owner;
      if (event.owner !== 'WAITING_FOR_ADVISOR' && event.owner !== 'ADVISOR') this.escalationId = null;
    }
    this.iterator.push(event);
  }

  /** Reads the numbers after `after` up to `upTo` from the database, page by page. */
  private async fill(after: number, upTo: number): Promise<void> {
    let from = after;
    while (from < upTo) {
      const items = await this.repo.sequencePage(this.conversationId, from, upTo);
      if (!items.length) break;
      for (const item of items) {
        if (item.sequence <= this.last) continue;
        this.emit(
          item.kind === 'MESSAGE'
            ? {
                kind: 'MESSAGE',
                conversationId: this.conversationId,
                sequence: item.sequence,
                message: item.message,
                at: item.message.timestamp,
              }
            : {
                kind: 'OWNERSHIP',
                conversationId: this.conversationId,
                sequence: item.sequence,
                ownership: item.change,
                owner: item.change.to,
                at: item.change.at,
              },
        );
      }
      from = items[items.length - 1]!.sequence;
    }
  }
}

export class ConversationFeed {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly repo: HandoffRepository;
  readonly consumer = `conversation.live.${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly runtime: ServiceRuntime,
    vault: PersonalDataVault,
  ) {
    this.repo = new HandoffRepository(runtime.dataSource.manager, vault);
  }

  async start(): Promise<void> {
    const { events } = this.runtime;
    const types = [...LIVE_CONVERSATION_TYPES, ...QUEUE_TYPES];
    await events.subscribe({
      consumer: this.consumer,
      topics: [...new Set(types.map((t) => topicForEventType(t, events.catalog).name))],
      types,
      handler: (event) => Promise.resolve(this.onEvent(event)),
      // this process's own group: deleted on stop, no idempotency rows (the sequence drops repeats)
      ephemeral: true,
    });
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  private onEvent(event: AnyEvent): void {
    if (!this.subscribers.size) return;
    if ((QUEUE_TYPES as readonly string[]).includes(event.type)) return this.onQueueMove(event);
    const live = liveEventOf(event);
    if (!live) return;
    for (const subscriber of this.subscribers.get(live.conversationId) ?? []) subscriber.offer(live);
  }

  /** The queue moved: every waiting subscriber's place may have changed; its entry's id is learnt here. */
  private onQueueMove(event: AnyEvent): void {
    const d = event.data as { escalationId?: string; conversationId?: string; claimId?: string };
    const at = new Date(event.occurredAt);
    for (const set of this.subscribers.values()) {
      for (const subscriber of set) {
        const about =
          (d.conversationId && d.conversationId.toLowerCase() === subscriber.conversationId) ||
          (d.claimId && subscriber.claimIds.has(d.claimId.toLowerCase()));
        if (about && event.type === 'EscalationQueued' && d.escalationId)
          subscriber.escalationId = d.escalationId;
        subscriber.offer({ kind: 'QUEUE', conversationId: subscriber.conversationId, sequence: null, at });
      }
    }
  }

  /** STATE, the sequence after `afterSequence` (null: none), then every change as it happens. */
  subscribe(conversationId: string, afterSequence: number | null): AsyncIterableIterator<LiveEvent> {
    const id = conversationId.toLowerCase();
    const subscriber: Subscriber = new Subscriber(id, this.repo, () => {
      const set = this.subscribers.get(id);
      set?.delete(subscriber);
      if (set && !set.size) this.subscribers.delete(id);
    });
    let set = this.subscribers.get(id);
    if (!set) this.subscribers.set(id, (set = new Set()));
    set.add(subscriber);
    subscriber.open(afterSequence).catch((err: unknown) => subscriber.iterator.fail(err));
    return subscriber.iterator;
  }
}
