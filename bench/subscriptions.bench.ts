// npm run bench:subscriptions — N subscribers (BENCH_SUBSCRIBERS, default 1,000) of
// `escalationQueue` on the gateway (real identity, claims and escalation processes, real
// PostgreSQL and Kafka), and the same N on a bare graphql-ws server fed by the same Kafka
// topic, side by side in one run. Each round escalates a claim; a change's latency runs from
// its timestamp (taken in the committing transaction) to its receipt by every subscriber.
// Prints p50/p95 of "received by all" and of single deliveries, the gateway/bare ratio
// (target <= 2) and the memory each idle subscription costs the gateway and escalation.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateInternalKeys, issueUserToken } from '@crm/auth';
import { dropDatabase, ensureDatabase, withDatabase } from '@crm/db';
import { prefixedCatalog, topicForEventType } from '@crm/events';
import { PushIterator } from '@crm/subgraph';
import { graphqlClient, startGatewayProcess, startSubgraphProcess, type RunningProcess } from '@crm/testing';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { buildSchema } from 'graphql';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket, { WebSocketServer } from 'ws';
import { percentile, rssKb, say } from './measure';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const pgAdminUrl =
  process.env.PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const INTERNAL = generateInternalKeys();
const JWT = `jwt-${randomBytes(24).toString('hex')}`;
const TOKENS = { secret: JWT, issuer: 'crm-idp', audience: 'crm-gateway' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Received {
  eventId: string;
  at: number;
  receivedAt: number;
}

/** N graphql-ws clients of one URL, recording when each change reaches each of them. */
class Crowd {
  readonly clients: Client[] = [];
  readonly received = new Map<string, Received[]>();
  snapshotsDone = 0;
  errors = 0;

  async open(url: string, query: string, token: string | undefined, field: string): Promise<void> {
    for (let start = 0; start < N; start += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, N - start) }, () => this.one(url, query, token, field)),
      );
    }
  }

  private one(url: string, query: string, token: string | undefined, field: string): Promise<void> {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      ...(token ? { connectionParams: { authorization: `Bearer ${token}` } } : {}),
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => (this.errors += 1),
    });
    this.clients.push(client);
    return new Promise((resolve) => {
      client.subscribe<
        Record<string, { kind: string; eventId: string | null; at: string; entry: { id: string } | null }>
      >(
        { query },
        {
          next: (r) => {
            const change = r.data?.[field];
            if (!change) {
              this.errors += 1;
              return;
            }
            if (change.kind === 'SNAPSHOT_COMPLETE' || change.kind === 'READY') {
              this.snapshotsDone += 1;
              resolve();
              return;
            }
            if (!change.eventId || !change.entry || change.kind !== 'QUEUED') return;
            // by entry: a round knows the entry its mutation created
            const list = this.received.get(change.entry.id) ?? [];
            list.push({ eventId: change.eventId, at: Date.parse(change.at), receivedAt: Date.now() });
            this.received.set(change.entry.id, list);
          },
          error: () => {
            this.errors += 1;
            resolve();
          },
          complete: () => undefined,
        },
      );
    });
  }

  async close(): Promise<void> {
    for (const c of this.clients) await c.dispose();
  }
}

/** The baseline: graphql-ws alone, fanning out what a plain Kafka consumer reads. */
async function startBareServer(topic: string) {
  const iterators = new Set<PushIterator<unknown>>();
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Entry { id: ID! }
    type Change { kind: String!, eventId: ID, at: String!, entry: Entry }
    type Subscription { escalationQueue: Change! }
  `);
  const field = schema.getSubscriptionType()!.getFields()['escalationQueue']!;
  field.subscribe = () => {
    const it: PushIterator<unknown> = new PushIterator<unknown>(() => iterators.delete(it));
    iterators.add(it);
    it.push({ kind: 'READY', eventId: null, at: new Date().toISOString(), entry: null });
    return it;
  };
  field.resolve = (value: unknown) => value;
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const ws = useServer({ schema }, wss);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as AddressInfo).port;
  const kafka = new Kafka({ clientId: 'bench-bare', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-bare-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  await consumer.run({
    eachMessage: ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as {
        id: string;
        type: string;
        occurredAt: string;
        data: { escalationId: string };
      };
      if (event.type !== 'EscalationQueued') return Promise.resolve();
      const change = {
        kind: 'QUEUED',
        eventId: event.id,
        at: event.occurredAt,
        entry: { id: event.data.escalationId },
      };
      for (const it of iterators) it.push(change);
      return Promise.resolve();
    },
  });
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    async stop() {
      await consumer.disconnect();
      await ws.dispose();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

async function main(): Promise<void> {
  const ns = `bench-subs-${randomBytes(3).toString('hex')}.`;
  const processes: RunningProcess[] = [];
  const databases: string[] = [];
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  const crowds: Crowd[] = [];
  try {
    const start = async (name: string) => {
      const url = withDatabase(pgAdminUrl, `crm_bench_${name}_${randomBytes(3).toString('hex')}`);
      await ensureDatabase(url);
      databases.push(url);
      const proc = await startSubgraphProcess({
        service: name,
        databaseUrl: url,
        kafkaBrokers: brokers,
        namespace: ns,
        internalPublicKey: INTERNAL.publicKey,
      });
      processes.push(proc);
      return proc;
    };
    say('starting identity, claims, escalation and the gateway');
    const [identity, claims, escalation] = await Promise.all(['identity', 'claims', 'escalation'].map(start));
    const gateway = await startGatewayProcess({
      subgraphs: { identity: identity!, claims: claims!, escalation: escalation! },
      internalPrivateKey: INTERNAL.privateKey,
      jwtSecret: JWT,
      // the N subscribers share one token and one address: lift the per-caller socket and
      // subscription limits and the rate limits (each socket and each mutation is a request)
      env: {
        MAX_SOCKETS_PER_PRINCIPAL: String(N),
        MAX_SUBSCRIPTIONS_PER_PRINCIPAL: String(N),
        RATE_LIMIT_PER_PRINCIPAL: String(10 * N),
        RATE_LIMIT_PER_IP: String(10 * N),
      },
    });
    processes.push(gateway);
    const token = await issueUserToken({ sub: 'bench', roles: ['advisor', 'supervisor'] }, TOKENS);
    const gql = graphqlClient(`${gateway.baseUrl}/graphql`, token);

    say(`registering a client, a contract and ${ROUNDS} claims`);
    const { registerClient: client } = await gql<{ registerClient: { id: string } }>(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`,
      {
        input: {
          matricule: `BE-${String(100 + Math.floor(Math.random() * 899))}-CH`,
          civility: 'M.',
          lastName: 'Bernard',
          firstName: 'Luc',
          email: `luc.${randomBytes(3).toString('hex')}@example.fr`,
          phone: '06 11 22 33 44',
          city: 'Nantes',
        },
      },
    );
    const { issueContract: contract } = await gql<{ issueContract: { id: string } }>(
      `mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }`,
      {
        input: {
          clientId: client.id,
          contractNumber: `HAB-${randomBytes(3).toString('hex')}`,
          type: 'HOME',
          subscribedOn: '2020-01-01',
          status: 'ACTIVE',
          coverages: ['incendie'],
        },
      },
    );
    const claimIds: string[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const { openClaim } = await gql<{ openClaim: { id: string } }>(
        `mutation($input: OpenClaimInput!) { openClaim(input: $input) { id } }`,
        {
          input: {
            clientId: client.id,
            contractId: contract.id,
            occurredAt: '2026-11-01T08:00:00Z',
            type: 'DAMAGE',
            description: 'Départ de feu dans la cuisine',
            location: 'Nantes',
            thirdPartyInvolved: false,
            amicableReport: false,
            injuries: false,
            photoUrls: [],
          },
        },
      );
      claimIds.push(openClaim.id);
    }

    // a claim the claims service escalated by itself is no fresh change: left out
    await sleep(2_000);
    const { escalationQueue } = await gql<{
      escalationQueue: { edges: { node: { claim: { id: string } } }[] };
    }>(`{ escalationQueue(first: 100) { edges { node { claim { id } } } } }`, {});
    const escalated = new Set(escalationQueue.edges.map((e) => e.node.claim.id));
    const fresh = claimIds.filter((id) => !escalated.has(id));
    if (fresh.length < claimIds.length)
      say(`${claimIds.length - fresh.length} claims escalated by claims itself`);

    const topic = topicForEventType('EscalationQueued', prefixedCatalog(ns)).name;
    bare = await startBareServer(topic);
    const rssBefore = { gateway: rssKb(gateway.child.pid), escalation: rssKb(escalation!.child.pid) };

    say(`opening ${N} subscriptions on the gateway and ${N} on the bare server`);
    const viaGateway = new Crowd();
    const viaBare = new Crowd();
    crowds.push(viaGateway, viaBare);
    await viaGateway.open(
      `${gateway.baseUrl.replace(/^http/, 'ws')}/graphql`,
      `subscription { escalationQueue { kind eventId at entry { id status priority client { lastName } claim { claimNumber } } } }`,
      token,
      'escalationQueue',
    );
    await viaBare.open(
      bare.url,
      `subscription { escalationQueue { kind eventId at entry { id } } }`,
      undefined,
      'escalationQueue',
    );
    await sleep(3_000);
    const rssAfter = { gateway: rssKb(gateway.child.pid), escalation: rssKb(escalation!.child.pid) };

    say(`${ROUNDS} rounds: escalate a claim, wait until all ${2 * N} subscribers have it`);
    const allGateway: number[] = [];
    const allBare: number[] = [];
    const eachGateway: number[] = [];
    const eachBare: number[] = [];
    let incomplete = 0;
    for (const claimId of fresh) {
      const { escalateClaim: entry } = await gql<{ escalateClaim: { id: string } }>(
        `mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { id } }`,
        { input: { claimId, clientId: client.id, reasons: ['COMPLAINT'] } },
      );
      const deadline = Date.now() + 30_000;
      let g: Received[] = [];
      let b: Received[] = [];
      while (Date.now() < deadline) {
        g = viaGateway.received.get(entry.id) ?? [];
        b = viaBare.received.get(entry.id) ?? [];
        if (g.length >= N && b.length >= N) break;
        await sleep(5);
      }
      if (g.length < N || b.length < N) {
        incomplete += 1;
        say(`round incomplete: ${g.length} via the gateway, ${b.length} bare, of ${N}`);
      }
      if (g.length) allGateway.push(Math.max(...g.map((r) => r.receivedAt - r.at)));
      if (b.length) allBare.push(Math.max(...b.map((r) => r.receivedAt - r.at)));
      eachGateway.push(...g.map((r) => r.receivedAt - r.at));
      eachBare.push(...b.map((r) => r.receivedAt - r.at));
      await sleep(200);
    }

    const p = (xs: number[]) => `p50 ${round(percentile(xs, 50))} ms, p95 ${round(percentile(xs, 95))} ms`;
    const ratio = percentile(allGateway, 95) / percentile(allBare, 95);
    const perSub = (before: number, after: number) => round(((after - before) * 1024) / N / 1024, 1);
    const lines = [
      `subscribers: ${N} via the gateway, ${N} via a bare graphql-ws server; rounds: ${fresh.length}${incomplete ? ` (${incomplete} incomplete)` : ''}`,
      `commit -> received by all ${N}, gateway: ${p(allGateway)}`,
      `commit -> received by all ${N}, bare:    ${p(allBare)}`,
      `single deliveries, gateway: ${p(eachGateway)}; bare: ${p(eachBare)}`,
      `ratio gateway/bare (p95, all received): ${round(ratio, 2)} (target <= 2)`,
      `memory per idle subscription: gateway ${perSub(rssBefore.gateway, rssAfter.gateway)} KB RSS, escalation ${perSub(rssBefore.escalation, rssAfter.escalation)} KB RSS`,
      `errors: gateway ${viaGateway.errors}, bare ${viaBare.errors}`,
    ];
    for (const line of lines) console.log(line);
  } finally {
    for (const c of crowds) await c.close().catch(() => undefined);
    await bare?.stop().catch(() => undefined);
    await Promise.all(processes.map((p) => p.stop().catch(() => null)));
    for (const url of databases) await dropDatabase(url).catch(() => undefined);
    const admin = new Kafka({ clientId: 'bench-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(ns));
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
