// Starts the real conversation service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token.
import { mintInternalToken, type Principal } from '@crm/auth';
import {
  MemoryTransport,
  newEvent,
  topicForEventType,
  type AnyEvent,
  type EventDataMap,
  type EventEnvelope,
  type EventType,
} from '@crm/events';
import { startService, type RunningService } from '@crm/subgraph';
import { createTestDatabase, waitFor, type TestDatabase } from '@crm/testing';
import { definition } from '../src/service';

export const SECRET = 's'.repeat(48);
export const ADVISOR: Principal = { sub: 'adv-42', roles: ['advisor'] };

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions: Record<string, unknown> }[];
}

export interface Harness {
  db: TestDatabase;
  transport: MemoryTransport;
  service: RunningService;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GraphQLResult<T>>;
  /** rows of the service database */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** an event of another domain, as its producer would make it */
  event<K extends EventType>(
    type: K,
    data: EventDataMap[K],
    subject: string,
    occurredAt?: Date,
  ): EventEnvelope<K>;
  /** puts events straight onto their topics, as the producer's relay would (duplicates included) */
  send(...events: AnyEvent[]): Promise<void>;
  /** resolves once the consumer recorded these events as processed */
  processed(consumer: string, ...eventIds: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  label: string,
  options: { relay?: boolean; onQuery?: (sql: string) => void } = {},
): Promise<Harness> {
  const db = await createTestDatabase(label);
  const transport = new MemoryTransport({ redeliveryDelayMs: 10 });
  let service: RunningService;
  try {
    service = await startService(definition, {
      env: {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: 0,
        LOG_LEVEL: 'silent',
        DATABASE_URL: db.url,
        INTERNAL_TOKEN_SECRET: SECRET,
        EVENT_NAMESPACE: '',
      },
      transport,
      relay: options.relay ?? true,
      ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    });
  } catch (err) {
    await db.drop();
    throw err;
  }
  const ds = service.runtime.dataSource;
  return {
    db,
    transport,
    service,
    async gql<T>(query: string, variables: Record<string, unknown> = {}, principal: Principal = ADVISOR) {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-crm-internal-token': await mintInternalToken(principal, 'conversation', SECRET),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as Omit<GraphQLResult<T>, 'status'>) };
    },
    sql: <T>(query: string, params: unknown[] = []) => ds.query<T[]>(query, params),
    event: (type, data, subject, occurredAt) =>
      newEvent(type, data, {
        source: 'test-producer',
        subject,
        actor: { kind: 'system', id: 'test' },
        ...(occurredAt ? { occurredAt } : {}),
      }),
    async send(...events) {
      await transport.send(
        events.map((event) => ({
          topic: topicForEventType(event.type).name,
          key: event.subject,
          value: JSON.stringify(event),
          headers: { 'event-id': event.id, 'event-type': event.type },
        })),
      );
    },
    async processed(consumer, ...eventIds) {
      await waitFor(
        `${consumer} to process ${eventIds.length} event(s)`,
        async () => {
          const rows = await ds.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM event_processed WHERE consumer = $1 AND event_id = ANY($2::text[])`,
            [consumer, eventIds],
          );
          return rows[0]?.n === eventIds.length;
        },
        { timeoutMs: 10_000 },
      );
    },
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}
