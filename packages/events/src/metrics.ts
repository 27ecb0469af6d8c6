import type { Logger } from '@crm/logging';
import { Counter, Gauge, Registry } from 'prom-client';
import { identityNotesOf } from './partner';

/** Prometheus metrics of one backbone; each backbone owns a registry unless one is given. */
export class BackboneMetrics {
  readonly outboxPending: Gauge<'service'>;
  readonly outboxOldestAge: Gauge<'service'>;
  readonly relayPublished: Counter<'service'>;
  readonly consumerLag: Gauge<'consumer'>;
  readonly processed: Counter<'consumer'>;
  readonly duplicates: Counter<'consumer'>;
  readonly deadLettered: Counter<'consumer' | 'topic' | 'code'>;
  readonly retries: Counter<'consumer'>;
  readonly erased: Counter<'consumer'>;
  readonly restarts: Counter<'consumer' | 'reason'>;
  readonly identityNotes: Counter<'consumer' | 'field' | 'code'>;
  readonly consumerJoined: Gauge<'consumer'>;
  readonly consumedDeleted: Counter<'consumer' | 'topic'>;
  /** set by the backbone: brings the per-consumer gauges up to date before a scrape */
  refreshConsumers: (() => void) | undefined;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.outboxPending = new Gauge({
      name: 'crm_outbox_pending_rows',
      help: 'outbox rows not yet published',
      labelNames: ['service'],
      registers,
    });
    this.outboxOldestAge = new Gauge({
      name: 'crm_outbox_oldest_pending_age_seconds',
      help: 'age of the oldest unpublished outbox row',
      labelNames: ['service'],
      registers,
    });
    this.relayPublished = new Counter({
      name: 'crm_outbox_published_total',
      help: 'outbox rows published and marked sent',
      labelNames: ['service'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'crm_consumer_lag_messages',
      help: 'messages not yet committed by the consumer group',
      labelNames: ['consumer'],
      registers,
    });
    this.processed = new Counter({
      name: 'crm_consumer_events_applied_total',
      help: 'events applied (handler committed)',
      labelNames: ['consumer'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'crm_consumer_events_duplicate_total',
      help: 'redelivered events skipped by the idempotency table',
      labelNames: ['consumer'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'crm_consumer_dead_lettered_total',
      help: 'messages sent to a dead-letter topic',
      labelNames: ['consumer', 'topic', 'code'],
      registers,
    });
    this.retries = new Counter({
      name: 'crm_consumer_retries_total',
      help: 'handler attempts that failed and were retried',
      labelNames: ['consumer'],
      registers,
    });
    this.erased = new Counter({
      name: 'crm_consumer_events_erased_total',
      help: 'sealed events not applied because their key was shredded (an erased person)',
      labelNames: ['consumer'],
      registers,
    });
    this.consumedDeleted = new Counter({
      name: 'crm_consumer_records_deleted_total',
      help: "records deleted from a topic once this consumer committed them (TopicSpec.deleteConsumed: partners' clear messages)",
      labelNames: ['consumer', 'topic'],
      registers,
    });
    this.restarts = new Counter({
      name: 'crm_consumer_restarts_total',
      help: 'consumer restarts by the restart policy',
      labelNames: ['consumer', 'reason'],
      registers,
    });
    this.consumerJoined = new Gauge({
      name: 'crm_consumer_joined',
      help: '1 once the consumer holds its partitions, 0 while it joins its group (events wait)',
      labelNames: ['consumer'],
      registers,
      collect: () => this.refreshConsumers?.(),
    });
    this.identityNotes = new Counter({
      name: 'crm_partner_identity_notes_total',
      help: 'partner events applied without an identity field the CRM could not read (e.g. an unreadable phone)',
      labelNames: ['consumer', 'field', 'code'],
      registers,
    });
  }
}

/**
 * What a partner's identity lost on the way in (the fields its decoder could not read): counted
 * (crm_partner_identity_notes_total, by the path that applied it) and logged without the value.
 * Once per applied event, on each path a partner's message reaches the journal by.
 */
export function reportIdentityNotes(
  metrics: BackboneMetrics,
  logger: Logger,
  consumer: string,
  event: { id: string; source: string; data: unknown },
): void {
  for (const note of identityNotesOf(event)) {
    metrics.identityNotes.inc({ consumer, field: note.field, code: note.code });
    logger.warn(
      { consumer, eventId: event.id, source: event.source, field: note.field, code: note.code },
      'partner event applied without an identity field it could not read',
    );
  }
}
