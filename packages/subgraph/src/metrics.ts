// Prometheus metrics of one process part (a subgraph service or the gateway): its registry, the
// GraphQL request series (by operation and outcome, with a latency histogram), the database pool
// and the /metrics endpoint. Series names and what each alert built on them means are in
// docs/operations.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext as ApolloBaseContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { MeasuredCache } from './caches';

export const METRICS_PATH = '/metrics';

/** Request latency buckets (seconds): 5 ms to 10 s, dense where the targets are (under 500 ms). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Operation names come from the client: only well-formed names are kept as labels, and only
 * the first `maxOperations` distinct ones; others count as "other" (a label set without bound
 * would be a memory leak and a scraper's nightmare).
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly maxOperations = 200) {}

  of(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.maxOperations) return 'other';
    this.seen.add(name);
    return name;
  }
}

export interface ProcessMetricsOptions {
  /** the service's name (label `service` on every series of this registry) */
  service: string;
  /** process-wide series (CPU, memory, event loop): once per process, not per co-located service */
  processSeries?: boolean;
  maxOperations?: number;
}

/** The series every GraphQL server of the system exposes. */
export class ProcessMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'type' | 'outcome'>;
  readonly duration: Histogram<'operation' | 'type'>;
  private readonly operations: OperationLabels;

  constructor(options: ProcessMetricsOptions) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.processSeries) collectDefaultMetrics({ register: this.registry, prefix: 'crm_' });
    this.operations = new OperationLabels(options.maxOperations);
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'crm_graphql_requests_total',
      help: 'GraphQL operations executed, by operation name, type and outcome (ok, error, rejected)',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'crm_graphql_request_duration_seconds',
      help: 'time from the request received to the response ready, by operation',
      labelNames: ['operation', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  /** Counts and times every operation Apollo Server executes. */
  plugin<T extends ApolloBaseContext>(): ApolloServerPlugin<T> {
    const { operations, requests, duration } = this;
    return {
      requestDidStart() {
        const started = process.hrtime.bigint();
        return Promise.resolve({
          willSendResponse(ctx) {
            const operation = operations.of(ctx.operationName ?? ctx.request.operationName);
            const type = ctx.operation?.operation ?? 'unknown';
            // errors before an operation was resolved (parse, validation) reject the request;
            // errors after it (resolvers, limits) are the operation's
            const outcome = !ctx.errors?.length ? 'ok' : ctx.operation ? 'error' : 'rejected';
            requests.inc({ operation, type, outcome });
            duration.observe({ operation, type }, Number(process.hrtime.bigint() - started) / 1e9);
            return Promise.resolve();
          },
        });
      },
    };
  }

  private readonly caches: MeasuredCache[] = [];

  /** What a bounded cache holds: crm_graphql_cache_bytes and _entries, by cache. */
  watchCache(cache: MeasuredCache): void {
    if (this.caches.length === 0) {
      const caches = this.caches;
      const registers = [this.registry];
      new Gauge({
        name: 'crm_graphql_cache_bytes',
        help: "what a bounded cache holds, counted as its values' JSON text, by cache (documents, query_plans)",
        labelNames: ['cache'],
        registers,
        collect() {
          for (const c of caches) this.set({ cache: c.name }, c.bytes);
        },
      });
      new Gauge({
        name: 'crm_graphql_cache_limit_bytes',
        help: 'the configured bound of each cache (DOCUMENT_CACHE_MIB, QUERY_PLAN_CACHE_MIB)',
        labelNames: ['cache'],
        registers,
        collect() {
          for (const c of caches) this.set({ cache: c.name }, c.maxBytes);
        },
      });
      new Gauge({
        name: 'crm_graphql_cache_entries',
        help: 'entries in a bounded cache, by cache',
        labelNames: ['cache'],
        registers,
        collect() {
          for (const c of caches) this.set({ cache: c.name }, c.entries);
        },
      });
    }
    this.caches.push(cache);
  }

  /** Pool use of a TypeORM data source on node-postgres: connections total, idle, and waiting. */
  watchPool(dataSource: DataSource): void {
    const pool = () => poolOf(dataSource);
    new Gauge({
      name: 'crm_db_pool_connections',
      help: 'database pool connections by state (total, idle, waiting clients)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
  }
}

interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

function poolOf(dataSource: DataSource): PgPoolCounts | undefined {
  const driver = dataSource.driver as unknown as { master?: Partial<PgPoolCounts> };
  const master = driver.master;
  return master && typeof master.totalCount === 'number' ? (master as PgPoolCounts) : undefined;
}

/**
 * Who may read /metrics: with a token configured (METRICS_TOKEN), whoever presents it as a
 * bearer token; without one, callers on this machine only, not through a proxy (a scraper in
 * another pod needs the token). Series hold no personal data, but they describe the system: not for the internet.
 */
export function metricsAllowed(req: IncomingMessage, token: string | undefined): boolean {
  if (token) {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  // a proxy on this machine (a sidecar) forwards outside callers from the loopback: they are not
  // this machine's, and say so in the forwarding headers
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) return false;
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Answers GET /metrics with the registry's series (Prometheus text format). */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  registry: Registry,
  token: string | undefined,
): Promise<void> {
  if (!metricsAllowed(req, token)) {
    res.writeHead(token ? 401 : 403, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      token ? 'metrics need the bearer token (METRICS_TOKEN)\n' : 'metrics are served to this machine only\n',
    );
    return;
  }
  // one registry per process part, never Registry.merge: a merged registry drops the default labels
  res.writeHead(200, { 'content-type': registry.contentType });
  res.end(await registry.metrics());
}
