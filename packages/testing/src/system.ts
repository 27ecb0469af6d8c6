// The system as real processes (issue 4's system test, issue 5's subscription tests, the
// subscription benchmark): a subgraph service or the gateway started from its own main.ts,
// wired the way a deployment wires them, and a client of the gateway's GraphQL endpoint.
import { createServer } from 'node:net';
import { freePort, startProcess, type ProcessRuntime, type RunningProcess } from './processes';

export interface SubgraphProcessOptions {
  /** the folder under services/ (identity, claims, conversation, reimbursement, escalation) */
  service: string;
  /** the process's label in logs; defaults to the service */
  name?: string;
  databaseUrl: string;
  kafkaBrokers: readonly string[];
  /** prefixes the topics and consumer groups (EVENT_NAMESPACE) */
  namespace: string;
  /** the gateway's public key (INTERNAL_TOKEN_PUBLIC_KEY) */
  internalPublicKey: string;
  /** a fixed port (a restart on the address a gateway was given); a free one otherwise */
  port?: number;
  env?: Record<string, string>;
  /** tsx on the sources (the default) or node on the build output (npm run build) */
  runtime?: ProcessRuntime;
  /** node options NODE_OPTIONS may not carry (e.g. --cpu-prof) */
  nodeArgs?: string[];
  /** every chunk the process writes, whole (a log scan) */
  onOutput?: (text: string) => void;
}

/** One subgraph service as its own process, on the real PostgreSQL and Kafka. */
export function startSubgraphProcess(options: SubgraphProcessOptions): Promise<RunningProcess> {
  return startProcess({
    name: options.name ?? options.service,
    entry: `services/${options.service}/src/main.ts`,
    env: {
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.kafkaBrokers.join(','),
      INTERNAL_TOKEN_PUBLIC_KEY: options.internalPublicKey,
      EVENT_NAMESPACE: options.namespace,
      ...options.env,
    },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    // migrations, topic provisioning and the consumer groups' first join
    readyTimeoutMs: 90_000,
  });
}

export interface GatewayProcessOptions {
  name?: string;
  /** the running subgraphs by service name: each becomes <NAME>_URL */
  subgraphs: Readonly<Record<string, RunningProcess>>;
  /** signs the internal tokens (INTERNAL_TOKEN_PRIVATE_KEY) */
  internalPrivateKey: string;
  jwtSecret: string;
  env?: Record<string, string>;
  /** tsx on the sources (the default) or node on the build output (npm run build) */
  runtime?: ProcessRuntime;
  /** node options NODE_OPTIONS may not carry (e.g. --cpu-prof) */
  nodeArgs?: string[];
  /** every chunk the process writes, whole (a log scan) */
  onOutput?: (text: string) => void;
}

/** The gateway as its own process, pointed at the given subgraph processes. */
export function startGatewayProcess(options: GatewayProcessOptions): Promise<RunningProcess> {
  return startProcess({
    name: options.name ?? 'gateway',
    entry: 'gateway/src/main.ts',
    env: {
      ...Object.fromEntries(
        Object.entries(options.subgraphs).map(([service, p]) => [
          `${service.toUpperCase()}_URL`,
          `${p.baseUrl}/graphql`,
        ]),
      ),
      INTERNAL_TOKEN_PRIVATE_KEY: options.internalPrivateKey,
      JWT_SECRET: options.jwtSecret,
      ...options.env,
    },
    ...(options.runtime ? { runtime: options.runtime } : {}),
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
  });
}

export type GraphQLCall = <T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
) => Promise<T>;

/** POSTs operations to a GraphQL endpoint with a bearer token; GraphQL errors throw. */
export function graphqlClient(url: string, token: string): GraphQLCall {
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  };
}

export const SYSTEM_SERVICES = ['identity', 'claims', 'conversation', 'reimbursement', 'escalation'] as const;

/**
 * Free ports for these services, chosen before any starts, and the SERVICE_URLS that tells each
 * where the others answer (for the keys of their sealed events): start each on its port.
 */
export async function plannedPorts<S extends string>(
  services: readonly S[],
): Promise<{ ports: Record<S, number>; serviceUrls: string }> {
  const ports = {} as Record<S, number>;
  const taken = new Set<number>();
  for (const service of services) {
    const port = await plannablePort(taken);
    taken.add(port);
    ports[service] = port;
  }
  return { ports, serviceUrls: serviceUrlsOf(ports) };
}

/**
 * A port free now, chosen below Linux's ephemeral range (32768-60999): a port the system hands
 * out (listen(0)) may be given meanwhile to any process's outgoing connection as its local port,
 * and the service planned on it then fails with EADDRINUSE (seen in CI under load). Below that
 * range only a listener can take it.
 */
async function plannablePort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await listenable(port))) return port;
  }
  return freePort();
}

const listenable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** SERVICE_URLS for services on these ports of this machine ("identity=http://127.0.0.1:4001,..."). */
export const serviceUrlsOf = (ports: Partial<Record<string, number>>): string =>
  Object.entries(ports)
    .filter(([, port]) => port !== undefined)
    .map(([service, port]) => `${service}=http://127.0.0.1:${port}`)
    .join(',');
