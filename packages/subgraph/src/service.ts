// The composition root every service shares: env -> database (migrations) -> event backbone
// -> the service's own parts (consumers, timers) -> subgraph server -> graceful shutdown.
// Each service's main.ts is then a few lines, and tests start a real service in-process.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { ConfigError, env, tracingVariables, z } from '@crm/config';
import { isKey, publicKeyOf } from '@crm/auth';
import type { PolicyMap } from './policies';
import { openDatabase } from '@crm/db';
import {
  assertDeclaredSubscription,
  createEventBackbone,
  EVENT_BACKBONE_MIGRATIONS,
  KafkaTransport,
  prefixedCatalog,
  type EventBackbone,
  type Transport,
} from '@crm/events';
import { createLogger, type Logger } from '@crm/logging';
import { eventKeysSecretOf, serviceVault, type PersonalDataVault, type ServicePrivacy } from '@crm/privacy';
import { eventKeysOf, keyReleaseOf, parseServiceUrls } from './event-keys';
import { MIB } from './caches';
import { setupTracing, type Tracing } from '@crm/tracing';
import { auditPlugin, auditWriterOf } from './audit';
import { ProcessMetrics } from './metrics';
import {
  startSubgraphServer,
  stopOnSignals,
  type BaseContext,
  type HealthCheck,
  type HttpRoute,
  type SubgraphServer,
} from './server';

/** Variables every subgraph service reads (each service's env.ts extends this schema). */
export function subgraphServiceEnv(defaultPort: number) {
  return z.object({
    NODE_ENV: env.nodeEnv(),
    HOST: z.string().default('127.0.0.1'),
    PORT: env.port(defaultPort),
    LOG_LEVEL: env.logLevel(),
    DATABASE_URL: env.postgresUrl(),
    /**
     * connections this process may open to its database at most (the outbox relay's listener is
     * one more): replicas at their maximum x (this + 1), for every service sharing a server, must
     * stay under PostgreSQL's max_connections (docs/deployment.md, Database connections)
     */
    DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
    /**
     * a pooled connection idle this long is closed (ms): a burst's connections are given back to
     * the server once it is over (the test processes use 1 s: docs/testing.md)
     */
    DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    KAFKA_BROKERS: env.kafkaBrokers().optional(),
    METRICS_TOKEN: env.metricsToken(),
    SHUTDOWN_TIMEOUT_MS: env.shutdownTimeoutMs(),
    /** parsed and validated operations kept (MiB, as JSON text): the gateway sends few distinct ones */
    DOCUMENT_CACHE_MIB: env.cacheMiB(4),
    ...tracingVariables(),
    /** the gateway's Ed25519 public key (PEM; `\\n` for line breaks): checks the per-call tokens */
    INTERNAL_TOKEN_PUBLIC_KEY: z
      .string()
      .refine(
        (v) => isKey(publicKeyOf, v),
        "must be the gateway's Ed25519 public key, PEM (npm run keys:internal)",
      ),
    /**
     * prefixes every topic and consumer group (e.g. "staging." or a test run's id): several
     * environments, or parallel system tests, share one Kafka cluster without seeing each other
     */
    EVENT_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash and underscore only')
      .default(''),
    /**
     * the secret the services share to ask one another for the keys of sealed events (at least
     * 32 characters; required in production; docs/privacy.md, Events)
     */
    PRIVACY_EVENT_KEYS_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** where the other services answer, for their keys: "identity=http://identity:4001,claims=..." */
    SERVICE_URLS: z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        try {
          parseServiceUrls(value);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      })
      .transform((value) => parseServiceUrls(value)),
  });
}
export type SubgraphServiceEnv = z.infer<ReturnType<typeof subgraphServiceEnv>>;

/**
 * Consumer transactions in flight at most for a pool of `poolMax` connections: half of it (at
 * least one), so that the other half always answers requests, whatever the events' backlog.
 */
export const consumerTransactionCap = (poolMax: number): number => Math.max(1, Math.floor(poolMax / 2));

export interface ServiceRuntime {
  name: string;
  dataSource: DataSource;
  events: EventBackbone;
  logger: Logger;
  /** the one clock a service's rules read (tests pass their own) */
  clock: () => Date;
  /** the data keys of the personal data it holds (a definition with `privacy`; docs/privacy.md) */
  vault?: PersonalDataVault;
}

/** The runtime's vault; an error naming the service when its definition declares no `privacy`. */
export function vaultOf(runtime: ServiceRuntime): PersonalDataVault {
  if (!runtime.vault) throw new Error(`${runtime.name} declares no privacy settings: it has no vault`);
  return runtime.vault;
}

/** What every service's parts hold: the runtime they were built from. */
export interface ServiceParts {
  runtime: ServiceRuntime;
}

/**
 * One service, in the shape all five share. `setup` builds the instance's parts once
 * (repositories, services, feeds, timers: nothing at module level), and every other hook
 * receives them: two instances in one process share nothing.
 */
export interface ServiceDefinition<TParts extends ServiceParts, TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  // TypeORM's own option types
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /**
   * how its personal data keys are wrapped and cached: the service gets a vault (runtime.vault)
   * that also seals the personal fields of its events and releases their keys to their readers
   */
  privacy?: ServicePrivacy;
  /** the instance's parts, built once the database and the backbone are up */
  setup(runtime: ServiceRuntime): TParts;
  resolvers(parts: TParts): GraphQLResolverMap<TContext>;
  /** who may use each field of typeDefs (src/policies.ts): deny by default */
  policies: PolicyMap;
  /** one per request */
  context(base: BaseContext, parts: TParts): TContext;
  /**
   * root Query fields whose reads by staff are recorded in the audit log (a claim file), besides
   * every mutation (docs/security.md, Audit log); the table comes from the service's own
   * migration extending @crm/db's AuditLogMigration
   */
  auditedReads?: readonly string[];
  /** plain HTTP routes beside /graphql, gateway only (server.ts HttpRoute) */
  routes?(parts: TParts): HttpRoute[];
  /** subscribes the consumers and starts the timers; runs before the server takes traffic */
  consumers?(parts: TParts): Promise<void>;
  /** stops what consumers() started; runs after HTTP has drained, before the backbone closes */
  stop?(parts: TParts): Promise<void>;
}

/** Any service's definition, whatever its parts and context (for code that starts several). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServiceDefinition = ServiceDefinition<any, any>;

export interface StartServiceOptions {
  env: SubgraphServiceEnv;
  /** an in-process transport shared by co-located services (zero-setup mode, unit tests) */
  transport?: Transport;
  logger?: Logger;
  /** counts SQL statements (N+1 tests) */
  onQuery?: (sql: string) => void;
  /** the outbox relay runs unless false (tests that drive the relay by hand) */
  relay?: boolean;
  /** the clock the service's rules read; the machine's by default */
  clock?: () => Date;
  /** the service's traces; by default set up from env (off without an OTLP endpoint) */
  tracing?: Tracing;
  /**
   * where the other services answer (their key release), read on each use: in place of
   * SERVICE_URLS where their ports are known only once they listen (services in one process)
   */
  serviceUrls?: ReadonlyMap<string, string>;
}

export interface RunningService<TParts extends ServiceParts = ServiceParts> extends SubgraphServer {
  runtime: ServiceRuntime;
  parts: TParts;
}

export async function startService<TParts extends ServiceParts, TContext extends BaseContext>(
  def: ServiceDefinition<TParts, TContext>,
  options: StartServiceOptions,
): Promise<RunningService<TParts>> {
  const { env: cfg } = options;
  // before anything opens: a production process without it stops with exit 78 (runServiceMain)
  const secret = eventKeysSecretOf(cfg);
  const logger = options.logger ?? createLogger({ service: def.name, level: cfg.LOG_LEVEL });
  const tracing = options.tracing ?? setupTracing({ serviceName: def.name, env: cfg });
  const dataSource = await openDatabase({
    url: cfg.DATABASE_URL,
    applicationName: `crm-${def.name}`,
    poolSize: cfg.DATABASE_POOL_MAX,
    idleTimeoutMs: cfg.DATABASE_IDLE_TIMEOUT_MS,
    entities: def.entities,
    migrations: [...EVENT_BACKBONE_MIGRATIONS, ...(def.migrations as unknown[])] as typeof def.migrations,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  const [auditLog] = await dataSource.query<{ t: string | null }[]>(
    `select to_regclass('audit_log')::text as t`,
  );
  if (!auditLog?.t) {
    await dataSource.destroy();
    throw new Error(
      `${def.name}: no audit_log table: its migrations need one extending AuditLogMigration (@crm/db)`,
    );
  }
  let ownTransport: Transport | undefined;
  const transport =
    options.transport ??
    (ownTransport = cfg.KAFKA_BROKERS
      ? new KafkaTransport({ brokers: cfg.KAFKA_BROKERS, clientId: `crm-${def.name}`, logger })
      : undefined);
  if (!transport) {
    await dataSource.destroy();
    throw new Error(`${def.name}: KAFKA_BROKERS is not set and no in-process transport was given`);
  }
  const namespace = cfg.EVENT_NAMESPACE;
  const metrics = new ProcessMetrics({ service: def.name, processSeries: true });
  metrics.watchPool(dataSource);
  const clock = options.clock ?? (() => new Date());
  const vault = def.privacy ? serviceVault(def.privacy, dataSource, clock) : undefined;
  // the blind-index key read (or made) before any request's transaction can be the first to need it
  await vault?.prepare();
  const backbone = await createEventBackbone({
    keys: eventKeysOf({
      service: def.name,
      vault,
      secret,
      urlOf: (service) => (options.serviceUrls ?? cfg.SERVICE_URLS).get(service),
      cacheSize: def.privacy?.cacheSize ?? 10_000,
      cacheTtlMs: def.privacy?.cacheTtlMs ?? 60_000,
      clock,
    }),
    clock,
    service: def.name,
    dataSource,
    transport,
    logger,
    metricsRegistry: metrics.registry,
    tracing,
    // half the pool at most for consumers: a burst of events never starves the API's requests
    maxConcurrentTransactions: consumerTransactionCap(cfg.DATABASE_POOL_MAX),
    ...(namespace ? { catalog: prefixedCatalog(namespace) } : {}),
  });
  // services name topics and consumers as in the catalog; the namespace is applied here once.
  // Every subscription is one SUBSCRIPTION_CATALOG declares for this service (@crm/events).
  const events: EventBackbone = {
    ...backbone,
    health: () => backbone.health(),
    close: () => backbone.close(),
    subscribe: (o) => {
      assertDeclaredSubscription(def.name, o);
      return backbone.subscribe(
        namespace
          ? {
              ...o,
              consumer: `${namespace}${o.consumer}`,
              topics: o.topics.map((t) => (t.startsWith(namespace) ? t : `${namespace}${t}`)),
            }
          : o,
      );
    },
  };
  if (options.relay ?? true) await events.relay.start();
  const runtime: ServiceRuntime = {
    name: def.name,
    dataSource,
    events,
    logger,
    clock,
    ...(vault ? { vault } : {}),
  };
  const parts = def.setup(runtime);
  await def.consumers?.(parts);

  const database: HealthCheck = {
    name: 'database',
    check: async () => {
      await dataSource.query('select 1');
      return undefined;
    },
  };
  const backboneReady: HealthCheck = {
    name: 'events',
    check: async () => ((await events.health()).ready ? undefined : 'event consumers or relay not ready'),
  };
  const backboneLive: HealthCheck = {
    name: 'events',
    check: async () =>
      (await events.health()).live ? undefined : 'an event consumer failed past its restart budget',
  };

  const auditWriter = auditWriterOf(dataSource);
  const server = await startSubgraphServer<TContext>({
    name: def.name,
    typeDefs: def.typeDefs,
    resolvers: def.resolvers(parts),
    policies: def.policies,
    port: cfg.PORT,
    host: cfg.HOST,
    logger,
    internalTokenPublicKey: cfg.INTERNAL_TOKEN_PUBLIC_KEY,
    introspection: cfg.NODE_ENV !== 'production',
    context: (base) => def.context(base, parts),
    readiness: [database, backboneReady],
    liveness: [backboneLive],
    metrics,
    documentCacheBytes: cfg.DOCUMENT_CACHE_MIB * MIB,
    tracing,
    plugins: [
      auditPlugin<TContext>({
        dataSource,
        clock: runtime.clock,
        logger,
        writer: auditWriter,
        auditedReads: def.auditedReads,
      }),
    ],
    ...(def.routes ? { routes: def.routes(parts) } : {}),
    ...(vault ? { keyRelease: keyReleaseOf(def.name, vault, secret, metrics.registry, clock) } : {}),
    ...(cfg.METRICS_TOKEN ? { metricsToken: cfg.METRICS_TOKEN } : {}),
    onShutdown: async () => {
      // Kafka may be away or the group rebalancing: the backbone gets most of the deadline, then
      // is left behind (an unfinished batch stays uncommitted and comes again), so the database
      // still closes cleanly and the process exits 0 within SHUTDOWN_TIMEOUT_MS; the last
      // spans get their own share at the end (traces are worth less than the database)
      const traceBudgetMs = tracing.enabled ? Math.min(1000, Math.floor(cfg.SHUTDOWN_TIMEOUT_MS / 5)) : 0;
      const budgetMs = Math.max(500, cfg.SHUTDOWN_TIMEOUT_MS - 1500 - traceBudgetMs);
      const closed = await settlesWithin(
        (async () => {
          await def.stop?.(parts);
          await events.close();
          await ownTransport?.close();
        })(),
        budgetMs,
      );
      if (!closed) logger.warn({ budgetMs }, 'event backbone did not close in time: left behind');
      // requests answered are recorded already; a record still being written gets its chance
      if (!(await settlesWithin(auditWriter.flush(), 1000)))
        logger.warn({ pending: auditWriter.pending }, 'audit records still being written at shutdown');
      await dataSource.destroy();
      // a tracing the caller gave is the caller's to stop
      if (!options.tracing) await tracing.shutdown(traceBudgetMs);
    },
  });
  return { ...server, runtime, parts };
}

/** true when the promise settled (either way) within ms; false when the time ran out first. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([
      settled,
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A service's main.ts: its environment (a bad variable exits 78 with every problem named,
 * @crm/config), the service started, stopped on SIGTERM/SIGINT; any failure to start is
 * written to stderr (the logger may not exist yet) and exits 1.
 */
export function runServiceMain<TEnv extends SubgraphServiceEnv>(
  name: string,
  loadEnv: () => TEnv,
  definitionFor: (env: TEnv) => AnyServiceDefinition,
): void {
  const main = async () => {
    const env = loadEnv();
    const service = await startService(definitionFor(env), { env });
    stopOnSignals(service, service.runtime.logger, env.SHUTDOWN_TIMEOUT_MS);
  };
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      // a configuration problem found past the schema (a master key file, a missing secret)
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(78);
    }
    process.stderr.write(
      `${name}: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
