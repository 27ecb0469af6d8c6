// The system as real processes (issue 4's system test, issue 5's subscription tests, the
// subscription benchmark): a subgraph service or the gateway started from its own main.ts,
// wired the way a deployment wires them, and a client of the gateway's GraphQL endpoint.
import { generateInternalKeys } from '@crm/auth';
import { createTestDatabase, type TestDatabase } from './database';
import { integrationEnv } from './env';
import { randomSuffix } from './ids';
import { deleteNamespaceTopics } from './kafka';
import { startProcess, type RunningProcess } from './processes';

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

/** The five subgraph services and the gateway as processes, each service with its own database. */
export interface RunningSystem {
  /** the gateway's /graphql; it trusts one proxy, so `X-Forwarded-For: <address>` sets the caller's address */
  url: string;
  /** prefixes its topics and consumer groups (EVENT_NAMESPACE) */
  namespace: string;
  /** signs user tokens the gateway accepts (issueUserToken(principal, system.userTokens)) */
  userTokens: { secret: string; issuer: string; audience: string };
  /** the gateway's key pair (PEM): tests mint internal tokens as the gateway would */
  internalKeys: { privateKey: string; publicKey: string };
  /** each subgraph's /graphql, by service name (for calls that bypass the gateway) */
  subgraphUrls: Record<string, string>;
  stop(): Promise<void>;
}

export const SYSTEM_SERVICES = ['identity', 'claims', 'conversation', 'reimbursement', 'escalation'] as const;

/**
 * Starts the whole system on the real PostgreSQL (a database per service, named after `label`)
 * and the real Kafka broker (a namespace of its own), as a deployment wires it.
 */
export async function startSystem(label: string): Promise<RunningSystem> {
  const { kafkaBrokers, runId } = integrationEnv();
  const namespace = `t-${runId}-${label}-${randomSuffix(3)}.`;
  const internalKeys = generateInternalKeys();
  const userTokens = { secret: `jwt-${'y'.repeat(40)}`, issuer: 'crm-idp', audience: 'crm-gateway' };
  const databases: TestDatabase[] = [];
  const processes: RunningProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all(databases.map((d) => d.drop()));
    await deleteNamespaceTopics(namespace);
  };
  try {
    const services = await Promise.all(
      SYSTEM_SERVICES.map(async (service) => {
        const db = await createTestDatabase(`${label}_${service}`);
        databases.push(db);
        const proc = await startSubgraphProcess({
          service,
          databaseUrl: db.url,
          kafkaBrokers,
          namespace,
          internalPublicKey: internalKeys.publicKey,
        });
        processes.push(proc);
        return [service, proc] as const;
      }),
    );
    const gateway = await startGatewayProcess({
      subgraphs: Object.fromEntries(services),
      internalPrivateKey: internalKeys.privateKey,
      jwtSecret: userTokens.secret,
      // as behind one ingress: a test speaks from any address with X-Forwarded-For
      env: { TRUST_PROXY_HOPS: '1' },
    });
    processes.push(gateway);
    const subgraphUrls = Object.fromEntries(services.map(([name, p]) => [name, `${p.baseUrl}/graphql`]));
    return { url: `${gateway.baseUrl}/graphql`, namespace, userTokens, internalKeys, subgraphUrls, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
