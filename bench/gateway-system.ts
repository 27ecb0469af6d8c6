// The system the gateway benchmarks load (bench:gateway, bench:soak): every process real (five
// subgraphs and one gateway on the real PostgreSQL and Kafka), on the sources or on the build
// output, its logs quiet and the gateway's rate limits out of the way; the client file they
// seed; the queries they send; and how an answer is read.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  startReplicatedSystem,
  SYSTEM_SERVICES,
  type GraphQLCall,
  type ProcessRuntime,
  type ReplicatedSystem,
} from '@crm/testing';
import type { fetch } from 'undici';
import { say } from './measure';

export const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const pgAdminUrl =
  process.env.PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const CLAIMS_QUERY = `query Claims { claims(first: 10) { edges { node { id claimNumber status cciScore } } } }`;
export const FILE_QUERY = `query File($id: ID!) {
  client(id: $id) {
    id matricule lastName
    contracts { id contractNumber status }
    conversations { id status }
    claims(first: 10) { edges { node { id status cciScore
      reimbursements { id status }
      escalation { id status }
    } } }
  }
}`;

/** npm run build: the 'compiled' runtime runs the build output, which must be this tree's. */
export function build(): void {
  const t0 = Date.now();
  const built = spawnSync('npm', ['run', '-s', 'build'], { cwd: join(__dirname, '..'), stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  say(`npm run build: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The system with one gateway; `env` is added to every process's environment. */
export function startBenchSystem(
  label: string,
  runtime: ProcessRuntime,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ReplicatedSystem> {
  return startReplicatedSystem({
    label,
    nodeArgs,
    gateways: 1,
    runtime,
    infrastructure: { pgAdminUrl, kafkaBrokers: brokers, runId: `bench${process.pid}` },
    // two systems side by side (BENCH_RUNTIMES) with the default pools asked PostgreSQL for more
    // than its 100 connections; 5 per service is more than two cores keep busy
    serviceEnv: Object.fromEntries(
      SYSTEM_SERVICES.map((s) => [s, { LOG_LEVEL: 'error', DATABASE_POOL_MAX: '5', ...env }]),
    ),
    gatewayEnv: {
      LOG_LEVEL: 'error',
      // the load generator is one caller: the limits are not what this measures
      RATE_LIMIT_PER_PRINCIPAL: '100000000',
      RATE_LIMIT_PER_IP: '100000000',
      ...env,
    },
  });
}

export interface SeededFile {
  clientId: string;
  contractId: string;
  /** oldest first */
  claimIds: string[];
}

/** A client with an active motor contract and `claims` collision claims, through the gateway. */
export async function seedClientFile(gql: GraphQLCall, matricule: string, claims = 10): Promise<SeededFile> {
  const { registerClient } = await gql<{ registerClient: { id: string } }>(
    `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`,
    { input: { matricule, civility: 'M.', lastName: 'Banc', firstName: 'Marc', city: 'Lyon' } },
  );
  const { issueContract } = await gql<{ issueContract: { id: string } }>(
    `mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }`,
    {
      input: {
        clientId: registerClient.id,
        contractNumber: `AUTO-${randomBytes(3).toString('hex')}`,
        type: 'AUTO',
        subscribedOn: '2021-03-01',
        status: 'ACTIVE',
        coverages: ['tiers'],
      },
    },
  );
  const claimIds: string[] = [];
  for (let i = 0; i < claims; i += 1) {
    const { openClaim } = await gql<{ openClaim: { id: string } }>(
      `mutation($input: OpenClaimInput!) { openClaim(input: $input) { id } }`,
      {
        input: {
          clientId: registerClient.id,
          contractId: issueContract.id,
          occurredAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
          type: 'COLLISION',
          description: `Accrochage numéro ${i} sur un parking`,
          location: 'Lyon',
          thirdPartyInvolved: false,
        },
      },
    );
    claimIds.push(openClaim.id);
  }
  return { clientId: registerClient.id, contractId: issueContract.id, claimIds };
}

/** What a GraphQL answer holds: its data, or what is wrong with it (a non-200, errors, no data). */
export async function readAnswer(
  res: Awaited<ReturnType<typeof fetch>>,
): Promise<{ data: Record<string, unknown> } | { problem: string }> {
  const text = await res.text();
  let body: {
    data?: Record<string, unknown> | null;
    errors?: { message?: string; extensions?: { code?: string } }[];
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { problem: `HTTP ${res.status}, not JSON: ${text.slice(0, 80)}` };
  }
  const error = body.errors?.[0];
  if (error) return { problem: `HTTP ${res.status}, ${error.extensions?.code ?? 'error'}: ${error.message}` };
  if (res.status !== 200) return { problem: `HTTP ${res.status}` };
  return body.data ? { data: body.data } : { problem: 'no data' };
}
