// The system as real processes with replicas (issue 15's live handoff test and benchmark): the
// five subgraph services, some of them twice or more (replicas of one service share its
// database, as a deployment's pods do), and one or more gateway processes. Gateway i is
// pointed at replica i (modulo the count) of each service, so that two gateways reach two
// different replicas of a replicated service: what one replica commits must reach a
// subscriber served by the other through Kafka, never through a process's memory.
import { generateInternalKeys } from '@crm/auth';
import { dropDatabase, ensureDatabase, withDatabase } from '@crm/db';
import { Kafka, logLevel } from 'kafkajs';
import { integrationEnv } from './env';
import { randomSuffix } from './ids';
import { deleteNamespaceTopics, testKafka } from './kafka';
import { scanForPersonalData } from './personal-data-scan';
import { type ProcessRuntime, type RunningProcess } from './processes';
import {
  graphqlClient,
  startGatewayProcess,
  startSubgraphProcess,
  plannedPorts,
  SYSTEM_SERVICES,
  type GraphQLCall,
} from './system';

export type SystemService = (typeof SYSTEM_SERVICES)[number];

export interface ReplicatedSystemOptions {
  /** names the databases, the topics' namespace and the processes */
  label: string;
  /** processes per service (1 unless told); the first one applies the migrations */
  replicas?: Partial<Record<SystemService, number>>;
  /** gateway processes (2 unless told) */
  gateways?: number;
  /** extra environment of every process of a service */
  serviceEnv?: Partial<Record<SystemService, Record<string, string>>>;
  /** extra environment of every gateway process */
  gatewayEnv?: Record<string, string>;
  /**
   * PostgreSQL (a URL whose user may create databases), the brokers and the run's id; the
   * integration tier's (integrationEnv()) unless given, e.g. by a benchmark run outside jest
   */
  infrastructure?: { pgAdminUrl: string; kafkaBrokers: string[]; runId: string };
  /** every process on tsx from the sources (the default) or on node from the build output */
  runtime?: ProcessRuntime;
  /** node options of every process that NODE_OPTIONS may not carry (e.g. --cpu-prof) */
  nodeArgs?: string[];
  /** every chunk every process writes, whole, with the process's name (a log scan) */
  onOutput?: (process: string, text: string) => void;
  /**
   * the canary scan when it stops (scanForPersonalData: every line printed, every table, every
   * Kafka record of its namespace; stop() fails on a finding): on in the test tier, off for a
   * benchmark run given its own infrastructure
   */
  personalDataScan?: boolean;
}

export interface GatewayReplica {
  process: RunningProcess;
  /** http://127.0.0.1:<port> (POST /chat/sessions is there) */
  baseUrl: string;
  /** the GraphQL endpoint over HTTP */
  url: string;
  /** the same endpoint for graphql-ws */
  ws: string;
  /** a client of `url` with this bearer token */
  as(token: string): GraphQLCall;
}

export interface ReplicatedSystem {
  namespace: string;
  /** signs user tokens every gateway accepts (issueUserToken(principal, system.userTokens)) */
  userTokens: { secret: string; issuer: string; audience: string };
  /** the key pair every gateway signs internal (and conversation) tokens with */
  internalKeys: { privateKey: string; publicKey: string };
  gateways: GatewayReplica[];
  /** every process of each service, replica 0 first */
  services: Record<SystemService, RunningProcess[]>;
  /** each service's database (a test reads what a service stored, as an operator's scan would) */
  databases: Record<SystemService, string>;
  /**
   * values the test used that must appear nowhere in clear (a name, an address): the canary
   * scan at stop() looks for them too, beside every e-mail, phone, matricule, IBAN and card
   */
  canaries: string[];
  /**
   * runs the canary scan, stops every process, drops the databases and deletes the namespace's
   * topics; fails (after cleaning up) when the scan found personal data in clear
   */
  stop(): Promise<void>;
}

/** Starts the system with replicas on the real PostgreSQL and Kafka. */
export async function startReplicatedSystem(options: ReplicatedSystemOptions): Promise<ReplicatedSystem> {
  const infra = options.infrastructure ?? integrationEnv();
  const { kafkaBrokers, runId } = infra;
  const namespace = `t-${runId}-${options.label}-${randomSuffix(3)}.`;
  const internalKeys = generateInternalKeys();
  const userTokens = { secret: `jwt-${randomSuffix(24)}`, issuer: 'crm-idp', audience: 'crm-gateway' };
  const databases: string[] = [];
  const processes: RunningProcess[] = [];
  const gatewayCount = options.gateways ?? 2;
  const replicasOf = (service: SystemService) => Math.max(1, options.replicas?.[service] ?? 1);
  const scanning = options.personalDataScan ?? options.infrastructure === undefined;
  const output: { process: string; text: string }[] = [];
  const canaries: string[] = [];
  const onOutput =
    scanning || options.onOutput
      ? (process: string, text: string) => {
          if (scanning) output.push({ process, text });
          options.onOutput?.(process, text);
        }
      : undefined;
  let databaseOf: Record<SystemService, string> | undefined;

  const teardown = async () => {
    // gateways first: their upstream sockets close before the services go
    const gateways = processes.filter((p) => p.name.startsWith('gateway'));
    await Promise.all(gateways.map((p) => p.stop().catch(() => null)));
    await Promise.all(processes.filter((p) => !gateways.includes(p)).map((p) => p.stop().catch(() => null)));
    await Promise.all(databases.map((url) => dropDatabase(url).catch(() => undefined)));
    const kafka = new Kafka({
      clientId: `crm-replicas-${randomSuffix(2)}`,
      brokers: kafkaBrokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    await deleteNamespaceTopics(namespace, kafka).catch(() => undefined);
  };
  const stop = async () => {
    // before anything goes: what the run left in the logs, the databases and the topics
    const findings =
      scanning && databaseOf
        ? await scanForPersonalData({ output, databases: databaseOf, namespace, canaries })
        : [];
    await teardown();
    if (findings.length > 0)
      throw new Error(
        `personal data in clear (docs/privacy.md), ${findings.length} finding(s):\n` +
          findings
            .slice(0, 20)
            .map((f) => `  ${f.where}: ${f.excerpt}`)
            .join('\n'),
      );
  };

  // each service's first replica on a port chosen now: every service is told where the others
  // answer (SERVICE_URLS), to ask for the keys of their sealed events (docs/privacy.md, Events)
  const { ports: firstPorts, serviceUrls } = await plannedPorts(SYSTEM_SERVICES);
  const startService = (service: SystemService, replica: number, databaseUrl: string) =>
    startSubgraphProcess({
      service,
      name: replicasOf(service) > 1 ? `${service}-${replica + 1}` : service,
      databaseUrl,
      kafkaBrokers,
      namespace,
      internalPublicKey: internalKeys.publicKey,
      ...(replica === 0 ? { port: firstPorts[service] } : {}),
      env: { SERVICE_URLS: serviceUrls, ...options.serviceEnv?.[service] },
      ...(options.runtime ? { runtime: options.runtime } : {}),
      ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
      ...(onOutput ? { onOutput: (text: string) => onOutput(service, text) } : {}),
    }).then((proc) => {
      processes.push(proc);
      return proc;
    });

  try {
    // the first replica of each service creates its database and applies the migrations...
    const firsts = await Promise.all(
      SYSTEM_SERVICES.map(async (service) => {
        const name = `crm_test_${runId}_${options.label}_${service}_${randomSuffix(3)}`
          .toLowerCase()
          .replace(/[^a-z0-9_]/g, '_')
          .slice(0, 63);
        const url = withDatabase(infra.pgAdminUrl, name);
        await ensureDatabase(url);
        databases.push(url);
        return { service, url, proc: await startService(service, 0, url) };
      }),
    );
    // ...then the others join it, on the same database
    const services = {} as Record<SystemService, RunningProcess[]>;
    await Promise.all(
      firsts.map(async ({ service, url, proc }) => {
        const others = await Promise.all(
          Array.from({ length: replicasOf(service) - 1 }, (_, i) => startService(service, i + 1, url)),
        );
        services[service] = [proc, ...others];
      }),
    );

    const gateways = await Promise.all(
      Array.from({ length: gatewayCount }, async (_, i) => {
        const proc = await startGatewayProcess({
          name: gatewayCount > 1 ? `gateway-${i + 1}` : 'gateway',
          subgraphs: Object.fromEntries(
            SYSTEM_SERVICES.map((service) => {
              const replicas = services[service];
              return [service, replicas[i % replicas.length]!];
            }),
          ),
          internalPrivateKey: internalKeys.privateKey,
          jwtSecret: userTokens.secret,
          ...(options.gatewayEnv ? { env: options.gatewayEnv } : {}),
          ...(options.runtime ? { runtime: options.runtime } : {}),
          ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
          ...(onOutput ? { onOutput: (text: string) => onOutput('gateway', text) } : {}),
        });
        processes.push(proc);
        const url = `${proc.baseUrl}/graphql`;
        return {
          process: proc,
          baseUrl: proc.baseUrl,
          url,
          ws: url.replace(/^http/, 'ws'),
          as: (token: string) => graphqlClient(url, token),
        };
      }),
    );
    databaseOf = Object.fromEntries(firsts.map(({ service, url }) => [service, url])) as Record<
      SystemService,
      string
    >;
    return { namespace, userTokens, internalKeys, gateways, services, databases: databaseOf, canaries, stop };
  } catch (err) {
    await teardown();
    throw err;
  }
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
  /** each service's database URL */
  databases: Record<SystemService, string>;
  /** values the test used that the canary scan at stop() must find nowhere in clear */
  canaries: string[];
  /** runs the canary scan, then stops everything; fails when the scan found personal data */
  stop(): Promise<void>;
}

/**
 * Starts the whole system on the real PostgreSQL (a database per service, named after `label`)
 * and the real Kafka broker (a namespace of its own), as a deployment wires it: one process per
 * service and one gateway.
 */
export async function startSystem(
  label: string,
  options: {
    gatewayEnv?: Record<string, string>;
    /** every process's LOG_LEVEL (warn unless told) */
    logLevel?: string;
    /** every chunk every process writes, whole, with the process's name (a log scan) */
    onOutput?: (process: string, text: string) => void;
  } = {},
): Promise<RunningSystem> {
  const level: Record<string, string> = options.logLevel ? { LOG_LEVEL: options.logLevel } : {};
  const system = await startReplicatedSystem({
    label,
    gateways: 1,
    // as behind one ingress: a test speaks from any address with X-Forwarded-For
    gatewayEnv: { TRUST_PROXY_HOPS: '1', ...level, ...options.gatewayEnv },
    ...(options.logLevel
      ? { serviceEnv: Object.fromEntries(SYSTEM_SERVICES.map((service) => [service, level])) }
      : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
  });
  return {
    url: system.gateways[0]!.url,
    namespace: system.namespace,
    userTokens: system.userTokens,
    internalKeys: system.internalKeys,
    subgraphUrls: Object.fromEntries(
      SYSTEM_SERVICES.map((service) => [service, `${system.services[service][0]!.baseUrl}/graphql`]),
    ),
    databases: system.databases,
    canaries: system.canaries,
    stop: () => system.stop(),
  };
}

/** One subgraph service alone as a process (a gateway in the test's own process calls it). */
export interface LoneService {
  process: RunningProcess;
  /** the gateway key pair the service trusts (INTERNAL_TOKEN_PUBLIC_KEY is its public half) */
  internalKeys: { privateKey: string; publicKey: string };
  /** stops the process, drops its database and deletes its namespace's topics */
  stop(): Promise<void>;
}

/**
 * A service as its own process on the real PostgreSQL (a database of its own, named after
 * `label`) and Kafka (a namespace of its own), for tests that need one service and a gateway:
 * the voice tests, the browser's push-to-talk.
 */
export async function startLoneService(
  service: SystemService,
  label: string,
  env: Record<string, string> = {},
): Promise<LoneService> {
  const infra = integrationEnv();
  const namespace = `t-${infra.runId}-${label}-${randomSuffix(3)}.`;
  const databaseUrl = withDatabase(
    infra.pgAdminUrl,
    `crm_test_${infra.runId}_${label}_${randomSuffix(4)}`.toLowerCase(),
  );
  const internalKeys = generateInternalKeys();
  await ensureDatabase(databaseUrl);
  const cleanUp = async () => {
    await dropDatabase(databaseUrl).catch(() => undefined);
    await deleteNamespaceTopics(namespace, testKafka()).catch(() => undefined);
  };
  let process: RunningProcess;
  try {
    process = await startSubgraphProcess({
      service,
      databaseUrl,
      kafkaBrokers: infra.kafkaBrokers,
      namespace,
      internalPublicKey: internalKeys.publicKey,
      env,
    });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  return {
    process,
    internalKeys,
    async stop() {
      await process.stop();
      await cleanUp();
    },
  };
}
