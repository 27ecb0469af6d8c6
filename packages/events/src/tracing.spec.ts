// The trace context of an event, without I/O: captured when the outbox row is written (inside
// the request's span), carried as the record's headers, and made the parent of the consumer's
// span, whose own events continue the same trace. The relay's part (the row's headers sent as
// Kafka headers) is covered with the real broker by gateway/src/traces.int.spec.ts.
import { claimOpenedFixture } from './claim-opened.fixture';
import { createLogger } from '@crm/logging';
import { memoryExporter, inSpan, setupTracing, SpanKind, TRACING_OFF, type ReadableSpan } from '@crm/tracing';
import { type DataSource, type EntityManager } from 'typeorm';
import { prefixedCatalog } from './catalog';
import { EventConsumer } from './consumer/consumer';
import { type AnyEvent } from './envelope';
import { BackboneMetrics } from './metrics';
import { Outbox } from './outbox/outbox';
import { memoryKeys } from './privacy/memory-keys.fixture';
import { MemoryTransport } from './transport/memory.transport';

const catalog = prefixedCatalog('');
const claimOpened = (id: string) => claimOpenedFixture(id);
// ClaimOpened's account travels sealed: claims' keys, which the consumer opens it with
const { eventKeys: keys } = memoryKeys('claims');

/** An EntityManager in an open transaction that keeps the outbox rows it is asked to insert. */
function recordingManager() {
  const rows: { topic: string; payload: string; headers: Record<string, string> }[] = [];
  const manager = {
    queryRunner: { isTransactionActive: true },
    query: (_sql: string, values: unknown[]) => {
      for (let i = 0; i < values.length; i += 6) {
        rows.push({
          topic: values[i + 2] as string,
          payload: values[i + 4] as string,
          headers: JSON.parse(values[i + 5] as string) as Record<string, string>,
        });
      }
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;
  return { manager, rows };
}

describe('trace context of events', () => {
  it('writes no headers when tracing is off', async () => {
    const { manager, rows } = recordingManager();
    await new Outbox(catalog, TRACING_OFF, keys).publish(manager, claimOpened('c-off'));
    expect(rows[0]!.headers).toEqual({});
  });

  it('crosses the outbox and the consumer as one trace, producer span parent of consumer span', async () => {
    const exporter = memoryExporter();
    const claims = setupTracing({ serviceName: 'claims', env: {}, exporter });
    const conversation = setupTracing({ serviceName: 'conversation', env: {}, exporter });
    const { manager, rows } = recordingManager();

    // claims: a request's span, the event written in its transaction
    const outbox = new Outbox(catalog, claims, keys);
    await inSpan(claims, 'graphql OpenClaim', { kind: SpanKind.SERVER }, () =>
      outbox.publish(manager, claimOpened('c-1')),
    );
    // publishing later happens in no span at all (the relay's loop): what was captured counts
    expect(rows).toHaveLength(1);
    expect(rows[0]!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // the record travels with the row's headers, as the relay sends them
    const transport = new MemoryTransport({ redeliveryDelayMs: 1 });
    await transport.provision(catalog);
    const handled: AnyEvent[] = [];
    const follow = recordingManager();
    const consumerOutbox = new Outbox(catalog, conversation, keys);
    const consumer = new EventConsumer(
      {
        consumer: 'conversation.unit',
        topics: [rows[0]!.topic],
        ephemeral: true,
        handler: async (event) => {
          handled.push(event);
          // an event the handler writes continues the trace
          await consumerOutbox.publish(follow.manager, claimOpened('c-2'));
        },
        watchdogIntervalMs: 3_600_000,
      },
      {
        transaction: (fn: (m: EntityManager) => Promise<void>) => fn(follow.manager),
      } as unknown as DataSource,
      transport,
      catalog,
      createLogger({ service: 'unit', level: 'silent' }),
      new BackboneMetrics(),
      conversation,
      undefined,
      keys,
    );
    await consumer.start();
    await transport.send([
      { topic: rows[0]!.topic, key: 'c-1', value: rows[0]!.payload, headers: rows[0]!.headers },
    ]);
    for (let i = 0; i < 200 && !exporter.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER); i++)
      await new Promise((r) => setTimeout(r, 5));
    await consumer.stop();
    await transport.close();

    const spans = exporter.getFinishedSpans();
    const byKind = (kind: SpanKind) => spans.filter((s) => s.kind === kind);
    const [server] = byKind(SpanKind.SERVER);
    const [producer, followUp] = byKind(SpanKind.PRODUCER) as [ReadableSpan, ReadableSpan];
    const [consumed] = byKind(SpanKind.CONSUMER);
    expect(handled).toHaveLength(1);
    const traceId = server!.spanContext().traceId;
    for (const s of spans) expect(s.spanContext().traceId).toBe(traceId);
    expect(producer.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(producer.resource.attributes['service.name']).toBe('claims');
    expect(consumed!.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumed!.resource.attributes['service.name']).toBe('conversation');
    expect(consumed!.attributes).toMatchObject({
      'messaging.destination.name': rows[0]!.topic,
      'crm.event.type': 'ClaimOpened',
      'crm.outcome': 'applied',
    });
    expect(followUp.parentSpanContext?.spanId).toBe(consumed!.spanContext().spanId);
    // the event's data is never an attribute; the handler read it opened
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('fuite');
    expect(handled[0]!.data).toMatchObject({ description: 'fuite sous l’évier' });
  });
});
