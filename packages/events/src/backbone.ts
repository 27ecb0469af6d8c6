import { type Logger } from '@crm/logging';
import pLimit from 'p-limit';
import { TRACING_OFF, type Tracing } from '@crm/tracing';
import { type Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { TOPIC_CATALOG, type TopicCatalog } from './catalog';
import { EventConsumer, type ConsumerHealth, type SubscribeOptions } from './consumer/consumer';
import { BackboneMetrics } from './metrics';
import { sealPartnerDeadLetter } from './privacy/partner-dead-letters';
import { Outbox } from './outbox/outbox';
import { type AnyEvent } from './envelope';
import { EventError } from './errors';
import { type ERASED_EVENT, openEvent, type EventKeys } from './privacy/sealing';
import { OutboxRelay, type OutboxStats, type RelayOptions } from './outbox/relay';
import { type Transport } from './transport/transport';

export interface EventBackboneSettings {
  /** the service that owns `dataSource` (labels, application names, event source) */
  service: string;
  /** the service's own database, migrated with EVENT_BACKBONE_MIGRATIONS */
  dataSource: DataSource;
  transport: Transport;
  logger: Logger;
  catalog?: TopicCatalog;
  relay?: RelayOptions;
  /** defaults applied to every subscribe() */
  consumerDefaults?: Partial<Omit<SubscribeOptions, 'consumer' | 'topics' | 'handler'>>;
  /** create the catalog's topics at start (idempotent) */
  provision?: boolean;
  metricsRegistry?: Registry;
  /** the service's traces: producer spans in the outbox, consumer spans per message (off unless given) */
  tracing?: Tracing;
  /**
   * consumer transactions (one per event, each holding a pooled connection) in flight at once
   * across all this backbone's consumers; the others queue in memory, not in the pool, so the
   * rest of the pool stays for the API's requests. Ephemeral consumers run without one and are
   * not counted. Unlimited when not given.
   */
  maxConcurrentTransactions?: number;
  /**
   * the keys that seal the personal fields of published events and open those of consumed ones
   * (privacy/sealing.ts); without them, publishing such an event fails and a sealed event read
   * waits (EVENT.KEY_UNAVAILABLE)
   */
  keys?: EventKeys;
  /** the service's clock (the day a partner dead letter that names nobody is sealed under) */
  clock?: () => Date;
}

export interface BackboneHealth {
  /** false: restart the process (a consumer gave up after its restart budget) */
  live: boolean;
  /** false: take the instance out of rotation (a consumer is stalled or starting) */
  ready: boolean;
  relay: { running: boolean; lastError: string | undefined } & Partial<OutboxStats>;
  consumers: ConsumerHealth[];
}

export interface EventBackbone {
  readonly service: string;
  readonly catalog: TopicCatalog;
  readonly outbox: Outbox;
  readonly relay: OutboxRelay;
  readonly metrics: BackboneMetrics;
  subscribe(options: SubscribeOptions): Promise<EventConsumer>;
  /**
   * A sealed event (read from the outbox or a topic) as a consumer's handler gets it;
   * ERASED_EVENT when its key was shredded. For tools and tests: consumers open on their own.
   */
  open(event: AnyEvent): Promise<AnyEvent | typeof ERASED_EVENT>;
  health(): Promise<BackboneHealth>;
  /** stops consumers and the relay; the transport and data source stay the caller's */
  close(): Promise<void>;
}

export async function createEventBackbone(settings: EventBackboneSettings): Promise<EventBackbone> {
  const catalog = settings.catalog ?? TOPIC_CATALOG;
  const logger = settings.logger.child({ component: 'events' });
  const metrics = new BackboneMetrics(settings.metricsRegistry);
  if (settings.provision ?? true) await settings.transport.provision(catalog);
  const tracing = settings.tracing ?? TRACING_OFF;
  const outbox = new Outbox(catalog, tracing, settings.keys);
  const relay = new OutboxRelay(
    settings.service,
    settings.dataSource,
    settings.transport,
    logger,
    metrics,
    settings.relay,
  );
  const consumers: EventConsumer[] = [];
  const { keys } = settings;
  const clock = settings.clock ?? (() => new Date());
  const transactions =
    settings.maxConcurrentTransactions === undefined ? undefined : pLimit(settings.maxConcurrentTransactions);
  metrics.refreshConsumers = () => consumers.forEach((c) => c.health());

  return {
    service: settings.service,
    catalog,
    outbox,
    relay,
    metrics,
    async subscribe(options) {
      const consumer = new EventConsumer(
        { ...settings.consumerDefaults, ...options },
        settings.dataSource,
        settings.transport,
        catalog,
        logger,
        metrics,
        tracing,
        transactions,
        keys,
        keys &&
          ((message) =>
            sealPartnerDeadLetter(message, keys, settings.dataSource.manager, settings.service, clock())),
      );
      await consumer.start();
      consumers.push(consumer);
      return consumer;
    },
    async open(event) {
      if (!('sealed' in event) || !event.sealed) return event;
      if (!settings.keys) throw new EventError('EVENT.KEY_UNAVAILABLE', 'this backbone has no keys');
      return openEvent(event, settings.keys);
    },
    async health() {
      const stats = await relay.stats().catch(() => undefined);
      const list = consumers.map((c) => c.health());
      return {
        live: list.every((c) => c.status !== 'failed'),
        ready: list.every((c) => c.status === 'running') && (stats !== undefined || !relay.isRunning),
        relay: { running: relay.isRunning, lastError: relay.lastError, ...stats },
        consumers: list,
      };
    },
    async close() {
      await Promise.allSettled(consumers.map((c) => c.stop()));
      await relay.stop();
    },
  };
}
