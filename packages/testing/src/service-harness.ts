// A real service in-process for integration tests: its own fresh database, the in-process
// event transport, a silent logger and a SQL statement counter; GraphQL over real HTTP with a
// gateway-minted internal token; the outbox readable as the events the service published.
// Each service's test harness adds only its domain fixtures on top.
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { generateInternalKeys, InternalTokenSigner, requestDigest, type Principal } from '@crm/auth';
import {
  ERASED_EVENT,
  MemoryTransport,
  newEvent,
  topicForEventType,
  type AnyEvent,
  type EventDataMap,
  type EventEnvelope,
  type EventType,
} from '@crm/events';
import { createLogger } from '@crm/logging';
import {
  startService,
  type BaseContext,
  type RunningService,
  type ServiceDefinition,
  type ServiceParts,
  type SubgraphServiceEnv,
} from '@crm/subgraph';
import { createTestDatabase, type TestDatabase } from './database';
import { TEST_POOL_ENV } from './processes';
import { waitFor } from './wait';

/** The test process's gateway key pair (made per process: no test key is committed). */
export const TEST_INTERNAL_KEYS = generateInternalKeys();
/** Mints internal tokens as the gateway does, with TEST_INTERNAL_KEYS. */
export const TEST_TOKENS = new InternalTokenSigner(TEST_INTERNAL_KEYS.privateKey);

/**
 * One call to a subgraph as the gateway would make it (a minted internal token for `principal`):
 * a typed document (graphql(`...`) from a service's test/generated) gives the result's type.
 * `clientIp`: the caller's address the gateway saw, carried by the token (none when absent);
 * `correlationId`: the request's, as the gateway passes it (the subgraph makes one when absent).
 */
export async function callSubgraph<T = Record<string, unknown>, V = Record<string, unknown>>(
  target: {
    url: string;
    subgraph: string;
    tokens?: InternalTokenSigner;
    clientIp?: string;
    correlationId?: string;
  },
  query: string | TypedDocumentNode<T, V>,
  variables: V | undefined,
  principal: Principal,
): Promise<GqlResult<T>> {
  const request = { query: typeof query === 'string' ? query : print(query), variables: variables ?? {} };
  const res = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-crm-internal-token': await (target.tokens ?? TEST_TOKENS).mint(principal, target.subgraph, {
        request: requestDigest(request),
        ...(target.clientIp ? { clientIp: target.clientIp } : {}),
        ...(target.correlationId ? { correlationId: target.correlationId } : {}),
      }),
    },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GqlError[] };
  return { status: res.status, ...body };
}

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions: {
    code: string;
    details?: { problems?: { field: string; message: string }[] } & Record<string, unknown>;
  };
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
}

export interface ServiceHarness<TParts extends ServiceParts = ServiceParts> {
  service: RunningService<TParts>;
  db: TestDatabase;
  transport: MemoryTransport;
  /** SQL statements sent so far (clear it with `queries.length = 0` before a measured call) */
  queries: string[];
  /**
   * A typed document (graphql(`...`) from the service's test/generated) gives the result's
   * and the variables' types; a plain string takes them from the type arguments.
   * `options.clientIp`: the caller's address, as the gateway would pass it; `options.correlationId`
   * the request's correlation id, likewise.
   */
  gql<T = Record<string, unknown>, V = Record<string, unknown>>(
    query: string | TypedDocumentNode<T, V>,
    variables?: V,
    principal?: Principal,
    options?: { clientIp?: string; correlationId?: string },
  ): Promise<GqlResult<T>>;
  /**
   * events this service wrote to its outbox, oldest first, optionally of one type; personal
   * fields opened (the rows hold them sealed: `sql` reads them as stored)
   */
  outbox(type?: string): Promise<AnyEvent[]>;
  /**
   * outbox rows as written (type, Kafka key), oldest first, their payload opened like outbox();
   * `where` filters them (SQL over event_outbox's columns, with `params`)
   */
  outboxRows(where?: string, params?: unknown[]): Promise<OutboxRow[]>;
  /** rows of the service's own database */
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
  /** resolves once `consumer` recorded these events as processed */
  processed(consumer: string, ...eventIds: string[]): Promise<void>;
  /** how many of these events `consumer` recorded as processed (its idempotency rows) */
  processedCount(consumer: string, eventIds: readonly string[]): Promise<number>;
  stop(): Promise<void>;
}

/** One row of a service's outbox: the event's type, its Kafka key and the event. */
export interface OutboxRow {
  event_type: string;
  message_key: string;
  payload: AnyEvent;
}

export interface ServiceHarnessOptions<TEnv extends SubgraphServiceEnv> {
  /** the service's own env schema, so its extra variables get their defaults */
  envSchema: { parse(input: unknown): TEnv };
  /** extra variables for this test */
  env?: Record<string, string>;
  /** who calls when a test passes no principal */
  principal?: Principal;
  /** shares a transport between co-located services (events flow between them) */
  transport?: MemoryTransport;
  /** a label for the database name */
  label?: string;
  /** the outbox relay runs unless false */
  relay?: boolean;
  /** counts statements in the caller's own list too (N+1 tests) */
  onQuery?: (sql: string) => void;
}

export async function startServiceForTest<
  TParts extends ServiceParts,
  TContext extends BaseContext,
  TEnv extends SubgraphServiceEnv,
>(
  definition: ServiceDefinition<TParts, TContext> | ((env: TEnv) => ServiceDefinition<TParts, TContext>),
  options: ServiceHarnessOptions<TEnv>,
): Promise<ServiceHarness<TParts>> {
  const db = await createTestDatabase(options.label ?? 'svc');
  const queries: string[] = [];
  const transport = options.transport ?? new MemoryTransport({ redeliveryDelayMs: 10 });
  const env = options.envSchema.parse({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'error',
    DATABASE_URL: db.url,
    ...TEST_POOL_ENV,
    INTERNAL_TOKEN_PUBLIC_KEY: TEST_INTERNAL_KEYS.publicKey,
    ...options.env,
  });
  const def = typeof definition === 'function' ? definition(env) : definition;
  let service: RunningService<TParts>;
  try {
    service = await startService(def, {
      env,
      transport,
      logger: createLogger({
        service: def.name,
        level: 'error',
        destination: new Writable({ write: (_c, _e, cb) => cb() }),
      }),
      onQuery: (sql) => {
        queries.push(sql);
        options.onQuery?.(sql);
      },
      relay: options.relay ?? true,
    });
  } catch (err) {
    await db.drop();
    throw err;
  }
  const caller = options.principal ?? { sub: 'advisor-test', roles: ['advisor'] };
  const ds = service.runtime.dataSource;
  const outboxRows = async (where?: string, params: unknown[] = []): Promise<OutboxRow[]> => {
    const rows: OutboxRow[] = await service.runtime.dataSource.query(
      `select event_type, message_key, payload from event_outbox ${where ? `where ${where}` : ''} order by seq`,
      params,
    );
    // sealed events opened as their consumers would read them (an erased one stays sealed)
    return Promise.all(
      rows.map(async (r) => {
        const opened = await service.runtime.events.open(r.payload);
        return { ...r, payload: opened === ERASED_EVENT ? r.payload : opened };
      }),
    );
  };
  const harness: ServiceHarness<TParts> = {
    service,
    db,
    transport,
    queries,
    gql: <T, V>(
      query: string | TypedDocumentNode<T, V>,
      variables?: V,
      principal: Principal = caller,
      options: { clientIp?: string; correlationId?: string } = {},
    ) =>
      callSubgraph(
        {
          url: service.url,
          subgraph: def.name,
          ...(options.clientIp ? { clientIp: options.clientIp } : {}),
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
        },
        query,
        variables,
        principal,
      ),
    async outbox(type?: string) {
      const rows = await outboxRows(type ? 'event_type = $1' : undefined, type ? [type] : []);
      return rows.map((r) => r.payload);
    },
    outboxRows,
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
          topic: topicForEventType(event.type, service.runtime.events.catalog).name,
          key: event.subject,
          value: JSON.stringify(event),
          headers: { 'event-id': event.id, 'event-type': event.type },
        })),
      );
    },
    async processedCount(consumer, eventIds) {
      const rows = await ds.query<{ n: number }[]>(
        'select count(*)::int as n from event_processed where consumer = $1 and event_id = any($2::text[])',
        [consumer, eventIds],
      );
      return rows[0]?.n ?? 0;
    },
    async processed(consumer, ...eventIds) {
      await waitFor(
        `${consumer} to process ${eventIds.length} event(s)`,
        async () => (await harness.processedCount(consumer, eventIds)) === eventIds.length,
        { timeoutMs: 10_000 },
      );
    },
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
  return harness;
}
