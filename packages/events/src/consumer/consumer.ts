import { maskText, type Logger } from '@crm/logging';
import { contextFromHeaders, inSpan, SpanKind, TRACING_OFF, type Span, type Tracing } from '@crm/tracing';
import { type DataSource, type EntityManager } from 'typeorm';
import { topicSpec, type TopicCatalog } from '../catalog';
import { type AnyEvent } from '../envelope';
import { errorCode, errorMessage, EventError, isRetriable } from '../errors';
import { faultPoint } from '../fault';
import { LATEST_VERSIONS, type EventType } from '../generated/schemas.generated';
import { reportIdentityNotes, type BackboneMetrics } from '../metrics';
import { PROCESSED_TABLE } from '../outbox/migrations';
import { type PartnerDecodeOptions } from '../partner';
import { type SealedDeadLetter } from '../privacy/partner-dead-letters';
import { ERASED_EVENT, openEvent, stripEvent, type EventKeys } from '../privacy/sealing';
import { decodeEvent, validateEvent } from '../schema/validation';
import {
  type BatchContext,
  type DeliveredMessage,
  type Transport,
  type TransportSubscription,
} from '../transport/transport';
import { backoffDelay, DEFAULT_BACKOFF, forEachGroupInOrder, type BackoffPolicy } from './backoff';

export type EventHandler = (event: AnyEvent, manager: EntityManager) => Promise<void>;

/** Runs `fn` when a slot is free (p-limit's limit function, shared by a backbone's consumers). */
export type TransactionLimit = <T>(fn: () => Promise<T>) => Promise<T>;

export interface SubscribeOptions {
  /** consumer name: also its consumer group and its key in the idempotency table */
  consumer: string;
  topics: string[];
  handler: EventHandler;
  /** when given, events of other (valid) types are acknowledged without calling the handler */
  types?: readonly EventType[];
  backoff?: Partial<BackoffPolicy>;
  /** keys of one batch processed at the same time */
  keyConcurrency?: number;
  /** lag above zero and no progress for this long = stalled (restart, readiness fails) */
  stallTimeoutMs?: number;
  watchdogIntervalMs?: number;
  /** restart policy: more than maxRestarts within windowMs = failed (liveness fails) */
  maxRestarts?: number;
  restartWindowMs?: number;
  /**
   * A consumer of this process alone (a per-process broadcast feed, with a unique name):
   * no idempotency rows are written (they would pile up under a name nobody reuses; the
   * handler drops redeliveries itself), its handler runs outside a transaction (the manager
   * it gets autocommits: a feed reads), and the Kafka group is deleted when it stops.
   */
  ephemeral?: boolean;
  /** how this consumer reads partner-format topics (the phone region of each source) */
  partner?: PartnerDecodeOptions;
  /**
   * a sealed event whose key was shredded (an erased person): 'skip' (default) acknowledges it
   * unread; 'strip' delivers it without its personal fields, for a projection of business facts
   * the insurer keeps (privacy/sealing.ts stripEvent)
   */
  erased?: 'skip' | 'strip';
  /**
   * how often the records this group committed are deleted from its topics that the catalog
   * marks deleteConsumed (the partners' inbound topic); default 30 s, checked by the watchdog
   */
  deleteConsumedEveryMs?: number;
}

export type ConsumerStatus = 'starting' | 'running' | 'stalled' | 'failed' | 'stopped';

export interface ConsumerHealth {
  consumer: string;
  status: ConsumerStatus;
  lag: number | undefined;
  lastProgressAt: string;
  applied: number;
  duplicates: number;
  deadLettered: number;
  restarts: number;
  transportCrashes: number;
  /** false while the consumer joins its group (the service is ready meanwhile; events wait) */
  joined: boolean;
}

/** The infrastructure, not the event, is failing: do not spend the message's attempts. */
class InfrastructureError extends Error {
  constructor(cause: unknown) {
    super(`infrastructure unavailable: ${errorMessage(cause)}`);
  }
}

export class EventConsumer {
  private subscription: TransportSubscription | undefined;
  private status: ConsumerStatus = 'starting';
  private lastProgress = Date.now();
  private lag: number | undefined;
  private restartTimes: number[] = [];
  private watchdog: NodeJS.Timeout | undefined;
  private watching = false;
  /** the catalog's deleteConsumed topics among ours, and when they were last purged */
  private deleting: string[] = [];
  private lastDeleted = 0;
  applied = 0;
  duplicates = 0;
  deadLettered = 0;
  private readonly backoff: BackoffPolicy;
  private readonly types: Set<string> | undefined;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly dataSource: DataSource,
    private readonly transport: Transport,
    private readonly catalog: TopicCatalog,
    private readonly logger: Logger,
    private readonly metrics: BackboneMetrics,
    private readonly tracing: Tracing = TRACING_OFF,
    /**
     * the backbone's cap on consumer transactions in flight, shared by its consumers: without
     * it, 3 consumers x 4 partitions x 16 keys could hold every pooled connection and leave the
     * API's requests waiting past the pool's timeout (docs/events.md, Consumers and the pool)
     */
    private readonly transactions: TransactionLimit | undefined = undefined,
    /** opens sealed events (privacy/sealing.ts); without them a sealed event waits */
    private readonly keys: EventKeys | undefined = undefined,
    /**
     * seals a partner-format message before it goes to its dead-letter topic
     * (privacy/partner-dead-letters.ts); the backbone gives it whenever it has keys
     */
    private readonly sealPartner:
      ((message: DeliveredMessage) => Promise<SealedDeadLetter>) | undefined = undefined,
  ) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.types = options.types ? new Set(options.types) : undefined;
  }

  get name(): string {
    return this.options.consumer;
  }

  async start(): Promise<void> {
    for (const t of this.options.topics) {
      if (!topicSpec(t, this.catalog))
        throw new EventError('EVENT.UNKNOWN_TOPIC', `${t} is not in the topic catalog`);
    }
    this.subscription = await this.transport.subscribe({
      groupId: this.options.consumer,
      topics: this.options.topics,
      handleBatch: (messages, ctx) => this.handleBatch(messages, ctx),
      onCommitted: () => this.progress(),
      ephemeral: this.options.ephemeral === true,
    });
    this.status = 'running';
    this.lastProgress = Date.now();
    this.deleting = this.options.topics.filter((t) => topicSpec(t, this.catalog)?.deleteConsumed);
    this.lastDeleted = Date.now();
    const interval = this.options.watchdogIntervalMs ?? 5000;
    // not unref'd: a running consumer keeps its process alive until stop()
    this.watchdog = setInterval(() => void this.checkProgress(), interval);
  }

  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    this.status = 'stopped';
    await this.subscription?.stop();
  }

  health(): ConsumerHealth {
    this.metrics.consumerJoined.set({ consumer: this.name }, this.subscription?.joined ? 1 : 0);
    return {
      consumer: this.options.consumer,
      status: this.status,
      lag: this.lag,
      lastProgressAt: new Date(this.lastProgress).toISOString(),
      applied: this.applied,
      duplicates: this.duplicates,
      deadLettered: this.deadLettered,
      restarts: this.restartTimes.length,
      transportCrashes: this.subscription?.crashes ?? 0,
      joined: this.subscription?.joined ?? false,
    };
  }

  private progress(now = Date.now()): void {
    this.lastProgress = now;
    if (this.status === 'stalled') this.status = 'running';
  }

  /** The watchdog: lag above zero with no progress for stallTimeoutMs means wedged, whatever kafkajs says. */
  async checkProgress(now = Date.now()): Promise<void> {
    if (this.watching || !this.subscription || this.status === 'stopped' || this.status === 'failed') return;
    this.watching = true;
    try {
      this.lag = await this.subscription.lag();
      if (this.lag !== undefined) this.metrics.consumerLag.set({ consumer: this.name }, this.lag);
      await this.deleteConsumed(now);
      if (this.lag === 0) this.progress(now);
      const stallMs = this.options.stallTimeoutMs ?? 60_000;
      if (now - this.lastProgress < stallMs) return;
      // no progress and either a backlog or a broker we cannot even ask: wedged
      this.status = 'stalled';
      const windowMs = this.options.restartWindowMs ?? 10 * 60_000;
      this.restartTimes = this.restartTimes.filter((t) => now - t < windowMs);
      if (this.restartTimes.length >= (this.options.maxRestarts ?? 5)) {
        this.status = 'failed';
        this.logger.error({ consumer: this.name }, 'consumer keeps stalling: giving up, liveness fails');
        return;
      }
      this.restartTimes.push(now);
      this.metrics.restarts.inc({ consumer: this.name, reason: 'stalled' });
      this.logger.warn({ consumer: this.name, lag: this.lag }, 'consumer stalled: restarting it');
      await this.subscription.restart('no progress while lag > 0');
      this.lastProgress = Math.max(now, Date.now());
    } catch (err) {
      this.logger.warn({ consumer: this.name, err: errorMessage(err) }, 'consumer watchdog failed');
    } finally {
      this.watching = false;
    }
  }

  /**
   * Deletes what this group committed from its deleteConsumed topics, at most every
   * deleteConsumedEveryMs. A failure is logged and tried again next time: the records then live
   * until their retention, as before.
   */
  private async deleteConsumed(now: number): Promise<void> {
    if (!this.deleting.length || !this.subscription) return;
    if (now - this.lastDeleted < (this.options.deleteConsumedEveryMs ?? 30_000)) return;
    this.lastDeleted = now;
    for (const topic of this.deleting) {
      try {
        const deleted = await this.subscription.deleteConsumed([topic]);
        if (deleted > 0) {
          this.metrics.consumedDeleted.inc({ consumer: this.name, topic }, deleted);
          this.logger.info({ consumer: this.name, topic, deleted }, 'consumed records deleted');
        }
      } catch (err) {
        this.logger.warn(
          { consumer: this.name, topic, err: errorMessage(err) },
          'consumed records not deleted',
        );
      }
    }
  }

  private async handleBatch(messages: DeliveredMessage[], ctx: BatchContext): Promise<void> {
    const byKey = new Map<string, DeliveredMessage[]>();
    for (const m of messages) {
      const key = m.key ?? '';
      const list = byKey.get(key);
      if (list) list.push(m);
      else byKey.set(key, [m]);
    }
    let beat = Date.now();
    await forEachGroupInOrder(byKey, this.options.keyConcurrency ?? 16, async (message) => {
      if (!ctx.isRunning()) throw new Error('consumer stopping: batch left uncommitted');
      await this.handleMessage(message, ctx);
      if (Date.now() - beat > 2000) {
        beat = Date.now();
        await ctx.heartbeat();
      }
    });
  }

  /**
   * With tracing on, one consumer span per message, a child of the producer's span (the
   * trace context the event was written with, in the record's headers): one trace crosses the
   * hop. Events the handler writes are its children in turn.
   */
  private handleMessage(message: DeliveredMessage, ctx: BatchContext): Promise<void> {
    if (!this.tracing.enabled) return this.processMessage(message, ctx);
    return inSpan(
      this.tracing,
      `process ${message.topic}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromHeaders(message.headers),
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.topic,
          'messaging.consumer.group.name': this.name,
          'messaging.destination.partition.id': String(message.partition),
          'messaging.kafka.offset': message.offset,
        },
      },
      (span) => this.processMessage(message, ctx, span),
    );
  }

  private async processMessage(message: DeliveredMessage, ctx: BatchContext, span?: Span): Promise<void> {
    if (this.notRead(message.headers['event-type'])) {
      span?.setAttribute('crm.outcome', 'ignored');
      return;
    }
    const format = topicSpec(message.topic, this.catalog)?.format ?? 'envelope';
    let event: AnyEvent;
    try {
      event = decodeEvent(message.value, format, this.options.partner);
    } catch (err) {
      span?.setAttribute('crm.outcome', 'dead-lettered');
      await this.deadLetter(message, err, 1);
      return;
    }
    span?.setAttributes({ 'messaging.message.id': event.id, 'crm.event.type': event.type });
    if (this.types && !this.types.has(event.type)) {
      span?.setAttribute('crm.outcome', 'ignored');
      return;
    }
    try {
      const opened = await this.open(event, ctx);
      if (opened === ERASED_EVENT) {
        // the person was erased: nobody may read what the event said about him any more
        this.metrics.erased.inc({ consumer: this.name });
        const strip = this.options.erased === 'strip';
        this.logger.info(
          { consumer: this.name, eventId: event.id, type: event.type },
          strip
            ? 'event sealed under an erased key: applied without its personal fields'
            : 'event sealed under an erased key: not applied',
        );
        if (!strip) {
          span?.setAttribute('crm.outcome', 'erased');
          this.progress();
          return;
        }
        event = stripEvent(event);
      } else event = opened;
    } catch (err) {
      if (err instanceof InfrastructureError) throw err;
      span?.setAttribute('crm.outcome', 'dead-lettered');
      await this.deadLetter(message, err, 1);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await this.applyOnce(event);
        this.progress();
        if (fresh) reportIdentityNotes(this.metrics, this.logger, this.name, event);
        span?.setAttribute('crm.outcome', fresh ? 'applied' : 'duplicate');
        return;
      } catch (err) {
        if (!(await this.databaseAnswers())) throw new InfrastructureError(err);
        if (!isRetriable(err) || attempt >= this.backoff.maxAttempts) {
          span?.setAttributes({ 'crm.outcome': 'dead-lettered', 'crm.attempts': attempt });
          await this.deadLetter(message, err, attempt);
          return;
        }
        this.metrics.retries.inc({ consumer: this.name });
        this.logger.warn(
          { consumer: this.name, eventId: event.id, attempt, err: errorMessage(err) },
          'handler failed, retrying',
        );
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.backoff)));
        if (!ctx.isRunning()) throw new Error('consumer stopping during a retry');
      }
    }
  }

  /**
   * A sealed event opened with its producer's key, then checked in its clear form. The key
   * source unavailable is retried like a failing handler; past the attempts the batch is left
   * uncommitted (InfrastructureError: the event comes again, it is not dead-lettered).
   */
  private async open(event: AnyEvent, ctx: BatchContext): Promise<AnyEvent | typeof ERASED_EVENT> {
    if (!('sealed' in event) || !event.sealed) return event;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.keys)
          throw new EventError(
            'EVENT.KEY_UNAVAILABLE',
            `${event.type} is sealed and this backbone has no keys`,
          );
        const opened = await openEvent(event, this.keys);
        return opened === ERASED_EVENT ? opened : validateEvent(opened);
      } catch (err) {
        if (!(err instanceof EventError) || err.code !== 'EVENT.KEY_UNAVAILABLE') throw err;
        if (attempt >= this.backoff.maxAttempts) throw new InfrastructureError(err);
        this.metrics.retries.inc({ consumer: this.name });
        this.logger.warn(
          { consumer: this.name, eventId: event.id, attempt, err: errorMessage(err) },
          'the key of a sealed event is unavailable, retrying',
        );
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.backoff)));
        if (!ctx.isRunning()) throw new Error('consumer stopping during a retry');
      }
    }
  }

  /**
   * Idempotency row and the handler's effects commit together, or neither does. True when
   * the handler ran (false: a redelivery the idempotency table absorbed).
   */
  private async applyOnce(event: AnyEvent): Promise<boolean> {
    let fresh = false;
    if (this.options.ephemeral) {
      // a feed of this process: nothing to record with its effects, so no transaction (two
      // round trips and a pooled connection saved on every live event of every process)
      await this.options.handler(event, this.dataSource.manager);
      fresh = true;
    } else {
      const apply = () =>
        this.dataSource.transaction(async (manager) => {
          const inserted = await manager.query<unknown[]>(
            `insert into ${PROCESSED_TABLE} (consumer, event_id, event_type) values ($1, $2, $3)
           on conflict do nothing returning 1`,
            [this.name, event.id, event.type],
          );
          if (!inserted.length) return;
          fresh = true;
          await this.options.handler(event, manager);
        });
      // held for one attempt only: a retry's backoff sleeps without a slot
      await (this.transactions ? this.transactions(apply) : apply());
    }
    faultPoint('after-db-commit');
    if (fresh) {
      this.applied++;
      this.metrics.processed.inc({ consumer: this.name });
    } else {
      this.duplicates++;
      this.metrics.duplicates.inc({ consumer: this.name });
    }
    return fresh;
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.dataSource.query('select 1');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A record whose `event-type` header names a known type this consumer does not read: skipped
   * unread. A topic carries many types of its domain, and a group reading a few of them decoded
   * and validated the others only to ignore them (before a bot turn's messages had a topic of
   * their own, that was claims' whole message handling with 50 people typing: 5% of the
   * process's busy time; docs/events.md, Topic catalog). The relay
   * writes the header from the outbox row, validated when it was written; a record of such a
   * type that does not decode is judged by the groups reading it. No header, or a type no schema
   * names: decoded, as before (and dead-lettered if it fails).
   */
  private notRead(headerType: string | undefined): boolean {
    return (
      this.types !== undefined &&
      headerType !== undefined &&
      Object.hasOwn(LATEST_VERSIONS, headerType) &&
      !this.types.has(headerType)
    );
  }

  private async deadLetter(message: DeliveredMessage, err: unknown, attempts: number): Promise<void> {
    const spec = topicSpec(message.topic, this.catalog);
    const dlq = spec?.dlq.name ?? `${message.topic}.dlq`;
    const code = errorCode(err);
    // a partner's message is in his own format, nothing in it sealed: the whole record is sealed
    // under its person's key (a failure here fails the batch: the message comes back, unlost)
    const record =
      spec?.format === 'partner' && this.sealPartner
        ? await this.sealPartner(message)
        : {
            key: message.key ?? '',
            value: message.value ? message.value.toString('utf8') : '',
            headers: message.headers,
          };
    await this.transport.send([
      {
        topic: dlq,
        key: record.key,
        value: record.value,
        headers: {
          ...record.headers,
          'dlq-original-topic': message.topic,
          'dlq-original-partition': String(message.partition),
          'dlq-original-offset': message.offset,
          'dlq-error-code': code,
          'dlq-error': maskText(errorMessage(err)).slice(0, 2000),
          'dlq-attempts': String(attempts),
          'dlq-consumer': this.name,
          'dlq-failed-at': new Date().toISOString(),
        },
      },
    ]);
    this.deadLettered++;
    this.metrics.deadLettered.inc({ consumer: this.name, topic: message.topic, code });
    this.logger.warn(
      {
        consumer: this.name,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        code,
        attempts,
      },
      'message dead-lettered',
    );
  }
}
