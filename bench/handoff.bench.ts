// npm run bench:handoff — issue 15's benchmark: N live conversations at once (BENCH_CONVERSATIONS,
// default 200), each held by an advisor who follows it through the gateway, and clients writing
// to them. Latency runs from a client's message commit (the moment the client holds the answer
// of its sendMessage, sent over HTTP through the gateway) to the message's receipt by the
// advisor's conversationEvents subscription. The same delivery on a bare graphql-ws server (ws +
// graphql-ws + an in-memory pubsub: an HTTP POST publishes, after its answer is sent), with the
// same subscribers on the same sockets, the same message count and the same rate, runs in the
// same process right after, and both are printed side by side with this machine's description.
//
// The system runs as processes, as the system tests start it (@crm/testing
// startReplicatedSystem: the five subgraphs and one gateway from their main.ts, over the real
// PostgreSQL and Kafka, a namespace and databases of their own, dropped at the end). Needs
// PostgreSQL (DATABASE_URL / PG* / 127.0.0.1:5432, like npm test) and a broker
// (KAFKA_BROKERS, else 127.0.0.1:9092: `npm run kafka:start`).
//
// Setup: advisors (capacity BENCH_CAPACITY, default 50, so 4 of them for 200) are AVAILABLE;
// each conversation is a chat visitor's (POST /chat/sessions) who asks the bot for an advisor,
// escalation assigns the entry automatically; each advisor has one socket with his
// conversations' subscriptions on it. Then BENCH_MESSAGES messages per conversation (default 5)
// at BENCH_RATE messages per second in all (default 50), open loop, one conversation's messages
// one after the other; BENCH_WARMUP messages first (default 50), not counted.
import { cpus, release, totalmem } from 'node:os';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { issueUserToken } from '@crm/auth';
import { PushIterator } from '@crm/subgraph';
import { startReplicatedSystem, tcpAnswers, type ReplicatedSystem } from '@crm/testing';
import { buildSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';
import type { resolvePostgres as ResolvePostgres } from '../tools/pg/postgres.mjs' with {
  'resolution-mode': 'import',
};

const N = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const CAPACITY = Math.min(50, Number(process.env.BENCH_CAPACITY ?? 50));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const ADVISORS = Math.ceil(N / CAPACITY);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const root = join(__dirname, '..');
const tag = randomBytes(3).toString('hex');

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '-');

/** Runs `work` over `items`, `width` at a time. */
async function pool<T, R>(items: readonly T[], width: number, work: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

/** Polls until `done`, failing when the count it reports stops moving for `stallMs`. */
async function until(what: string, count: () => number, target: number, stallMs = 60_000): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  while (count() < target) {
    if (count() !== last) {
      last = count();
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      throw new Error(`${what}: stuck at ${last} of ${target} for ${stallMs / 1000} s`);
    }
    await sleep(50);
  }
}

interface LiveEvent {
  kind: string;
  conversationId: string;
  sequence: number | null;
  owner: string | null;
  ownership?: { to: string } | null;
  message: { role: string; text: string | null } | null;
}

/** One advisor's console: one socket, his conversations' subscriptions on it. */
class Console {
  readonly client: Client;
  errors = 0;

  constructor(url: string, token: string | undefined) {
    this.client = createClient({
      url,
      webSocketImpl: WebSocket,
      ...(token ? { connectionParams: { authorization: `Bearer ${token}` } } : {}),
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => (this.errors += 1),
    });
  }

  follow(query: string, variables: Record<string, unknown>, onEvent: (e: LiveEvent) => void): void {
    this.client.subscribe<{ conversationEvents: LiveEvent }>(
      { query, variables },
      {
        next: (r) => {
          if (r.errors) this.errors += 1;
          if (r.data?.conversationEvents) onEvent(r.data.conversationEvents);
        },
        error: () => (this.errors += 1),
        complete: () => undefined,
      },
    );
  }
}

/** The baseline: graphql-ws alone, with an in-memory pubsub that an HTTP POST publishes to. */
async function startBareServer() {
  const subscribers = new Map<string, Set<PushIterator<unknown>>>();
  const sequences = new Map<string, number>();
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Message { id: ID!, role: String!, text: String, sequence: Int }
    type Ownership { to: String! }
    type Event { kind: String!, conversationId: ID!, sequence: Int, owner: String, ownership: Ownership, message: Message }
    type Subscription { conversationEvents(conversationId: ID!, afterSequence: Int): Event! }
  `);
  const field = schema.getSubscriptionType()!.getFields()['conversationEvents']!;
  field.subscribe = (_: unknown, args: { conversationId: string }) => {
    const set = subscribers.get(args.conversationId) ?? new Set();
    subscribers.set(args.conversationId, set);
    const it: PushIterator<unknown> = new PushIterator<unknown>(() => set.delete(it));
    set.add(it);
    it.push({
      kind: 'STATE',
      conversationId: args.conversationId,
      sequence: sequences.get(args.conversationId) ?? 0,
      owner: 'ADVISOR',
    });
    return it;
  };
  field.resolve = (value: unknown) => value;
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });
  const http = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const { conversationId, text } = JSON.parse(raw) as { conversationId: string; text: string };
      const sequence = (sequences.get(conversationId) ?? 0) + 1;
      sequences.set(conversationId, sequence);
      // committed: answered, then delivered
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sequence }));
      setImmediate(() => {
        const event = {
          kind: 'MESSAGE',
          conversationId,
          sequence,
          message: { id: `${conversationId}:${sequence}`, role: 'USER', text, sequence },
        };
        for (const it of subscribers.get(conversationId) ?? []) it.push(event);
      });
    });
  });
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const ws = useServer({ schema }, wss);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as AddressInfo).port;
  return {
    ws: `ws://127.0.0.1:${port}/graphql`,
    publish: `http://127.0.0.1:${port}/publish`,
    async stop() {
      await ws.dispose();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

interface Conversation {
  id: string;
  token: string;
  advisor: number;
}

/** Deliveries seen twice, by map of samples (a gap would show as a loss). */
const duplicates = new Map<Map<string, Sample>, number>();

/** The advisor's subscription delivered `text`: stamps its sample (sent by this run). */
function received(samples: Map<string, Sample>, text: string | null): void {
  const sample = text === null ? undefined : samples.get(text);
  if (!sample) return;
  if (sample.receivedAt !== undefined) duplicates.set(samples, (duplicates.get(samples) ?? 0) + 1);
  else sample.receivedAt = performance.now();
}

interface Sample {
  /** the client's request left */
  sentAt: number;
  /** the client holds the answer: the message is committed */
  committedAt?: number;
  /** the advisor's subscription delivered it */
  receivedAt?: number;
}

/**
 * Sends `count` messages at `rate` per second over the conversations (round robin; one
 * conversation's messages one after the other), then waits for their delivery.
 */
async function load(
  label: string,
  conversations: readonly Conversation[],
  count: number,
  samples: Map<string, Sample>,
  send: (c: Conversation, text: string) => Promise<void>,
): Promise<{ texts: string[]; seconds: number; failed: number }> {
  const chains = new Map<string, Promise<void>>();
  const texts: string[] = [];
  let failed = 0;
  const t0 = performance.now();
  for (let k = 0; k < count; k += 1) {
    const due = t0 + (k * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const c = conversations[k % conversations.length]!;
    const text = `Message ${k + 1} (${label} ${tag}) : voici la suite de ma demande.`;
    texts.push(text);
    const previous = chains.get(c.id) ?? Promise.resolve();
    chains.set(
      c.id,
      previous.then(async () => {
        const sample: Sample = samples.get(text) ?? { sentAt: 0 };
        sample.sentAt = performance.now();
        samples.set(text, sample);
        try {
          await send(c, text);
          sample.committedAt = performance.now();
        } catch (err) {
          failed += 1;
          if (failed <= 3) say(`${label}: a send failed: ${(err as Error).message}`);
        }
      }),
    );
  }
  await Promise.all(chains.values());
  const seconds = (performance.now() - t0) / 1000;
  await until(
    `${label}: deliveries`,
    () => texts.filter((t) => samples.get(t)?.receivedAt !== undefined).length,
    count - failed,
    15_000,
  ).catch((err: Error) => say(err.message));
  return { texts, seconds, failed };
}

function summary(
  label: string,
  texts: string[],
  samples: Map<string, Sample>,
  seconds: number,
  failed: number,
) {
  const done = texts.map((t) => samples.get(t)!).filter((s) => s.committedAt !== undefined);
  const delivered = done.filter((s) => s.receivedAt !== undefined);
  const latency = delivered.map((s) => s.receivedAt! - s.committedAt!);
  const commit = done.map((s) => s.committedAt! - s.sentAt);
  return {
    label,
    sent: texts.length,
    failed,
    lost: done.length - delivered.length,
    early: latency.filter((x) => x < 0).length,
    rate: texts.length / seconds,
    p50: percentile(latency, 50),
    p95: percentile(latency, 95),
    p99: percentile(latency, 99),
    max: Math.max(...latency),
    commitP50: percentile(commit, 50),
    commitP95: percentile(commit, 95),
  };
}

async function main(): Promise<void> {
  for (const broker of brokers) {
    if (!(await tcpAnswers(broker)))
      throw new Error(`no Kafka broker answers at ${broker}: npm run kafka:start (or set KAFKA_BROKERS)`);
  }
  const { resolvePostgres } = (await import('../tools/pg/postgres.mjs')) as {
    resolvePostgres: typeof ResolvePostgres;
  };
  const postgres = await resolvePostgres({ embeddedDir: join(root, '.cache', 'pg-bench') });
  let system: ReplicatedSystem | undefined;
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  const consoles: Console[] = [];
  try {
    say(`starting the five subgraphs and the gateway as processes (PostgreSQL: ${postgres.origin})`);
    system = await startReplicatedSystem({
      label: 'bench-handoff',
      gateways: 1,
      infrastructure: { pgAdminUrl: postgres.url, kafkaBrokers: brokers, runId: `bench${process.pid}` },
      // the clients all speak from 127.0.0.1, and an advisor follows up to CAPACITY
      // conversations on his socket: lift the per-address rate limit and the per-caller ceiling
      gatewayEnv: {
        MAX_SUBSCRIPTIONS_PER_PRINCIPAL: String(CAPACITY + 10),
        RATE_LIMIT_PER_PRINCIPAL: '1000000',
        RATE_LIMIT_PER_IP: '1000000',
      },
    });
    const gateway = system.gateways[0]!;
    const supervisor = gateway.as(
      await issueUserToken({ sub: 'bench-sup', roles: ['advisor', 'supervisor'] }, system.userTokens),
    );

    say(`registering ${ADVISORS} advisors (capacity ${CAPACITY}), each with his console on the gateway`);
    const advisorIds: string[] = [];
    const held = new Map<string, number>(); // conversation -> advisor index
    for (let i = 0; i < ADVISORS; i += 1) {
      const { registerAdvisor } = await supervisor<{ registerAdvisor: { id: string } }>(
        `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
        { input: { name: `Conseiller ${i + 1}`, capacity: CAPACITY, status: 'AVAILABLE' } },
      );
      advisorIds.push(registerAdvisor.id);
      const token = await issueUserToken({ sub: registerAdvisor.id, roles: ['advisor'] }, system.userTokens);
      const console_ = new Console(gateway.ws, token);
      consoles.push(console_);
      console_.client.subscribe<{
        myAssignments: { kind: string; entry: { conversation: { id: string } | null } | null };
      }>(
        { query: `subscription { myAssignments { kind entry { conversation { id } } } }` },
        {
          next: (r) => {
            const id = r.data?.myAssignments.entry?.conversation?.id;
            if (id && r.data?.myAssignments.kind === 'ASSIGNED') held.set(id, i);
          },
          error: () => (console_.errors += 1),
          complete: () => undefined,
        },
      );
    }

    say(`opening ${N} chat sessions; each visitor asks for an advisor`);
    const sessions = await pool(Array.from({ length: N }), 16, async () => {
      const res = await fetch(`${gateway.baseUrl}/chat/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (res.status !== 201) throw new Error(`POST /chat/sessions: ${res.status} ${await res.text()}`);
      const session = (await res.json()) as { conversationId: string; token: string };
      const { sendMessage } = await gateway.as(session.token)<{ sendMessage: { status: string } }>(
        `mutation($input: SendMessageInput!) { sendMessage(input: $input) { status } }`,
        {
          input: {
            conversationId: session.conversationId,
            text: 'Bonjour, je voudrais parler à un conseiller, s’il vous plaît',
          },
        },
      );
      if (sendMessage.status !== 'TRANSFERRED') throw new Error(`not transferred: ${sendMessage.status}`);
      return session;
    });
    await until('conversations assigned to an advisor', () => held.size, N);

    // each advisor follows each conversation he holds (from now on), until it is his
    const conversations: Conversation[] = sessions.map((s) => ({
      id: s.conversationId,
      token: s.token,
      advisor: held.get(s.conversationId)!,
    }));
    const viaGateway = new Map<string, Sample>();
    const ready = new Set<string>();
    const FIELDS = `kind conversationId sequence owner message { id role text sequence }`;
    for (const c of conversations) {
      consoles[c.advisor]!.follow(
        `subscription($id: ID!) { conversationEvents(conversationId: $id) { ${FIELDS} ownership { to } } }`,
        { id: c.id },
        (e) => {
          if ((e.kind === 'STATE' && e.owner === 'ADVISOR') || e.ownership?.to === 'ADVISOR') ready.add(c.id);
          if (e.kind === 'MESSAGE' && e.message?.role === 'USER') received(viaGateway, e.message.text);
        },
      );
    }
    await until('conversations held and followed by their advisor', () => ready.size, N);
    const perAdvisor = advisorIds.map((_, i) => conversations.filter((c) => c.advisor === i).length);
    say(`${N} conversations held (${perAdvisor.join(' / ')} per advisor), followed live`);

    say(`bare graphql-ws server: ${N} subscriptions on ${ADVISORS} sockets`);
    bare = await startBareServer();
    const viaBare = new Map<string, Sample>();
    const bareReady = new Set<string>();
    const bareConsoles = advisorIds.map(() => new Console(bare!.ws, undefined));
    consoles.push(...bareConsoles);
    for (const c of conversations) {
      bareConsoles[c.advisor]!.follow(
        `subscription($id: ID!) { conversationEvents(conversationId: $id) { ${FIELDS} } }`,
        { id: c.id },
        (e) => {
          if (e.kind === 'STATE') bareReady.add(c.id);
          if (e.kind === 'MESSAGE') received(viaBare, e.message?.text ?? null);
        },
      );
    }
    await until('bare subscriptions', () => bareReady.size, N);

    let botReplies = 0;
    const sendViaGateway = async (c: Conversation, text: string) => {
      const { sendMessage } = await gateway.as(c.token)<{ sendMessage: { reply: string } }>(
        `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply } }`,
        { input: { conversationId: c.id, text } },
      );
      if (sendMessage.reply !== '') botReplies += 1;
    };
    const sendViaBare = async (c: Conversation, text: string) => {
      const res = await fetch(bare!.publish, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: c.id, text }),
      });
      if (res.status !== 200) throw new Error(`publish: ${res.status}`);
      await res.json();
    };

    const total = N * MESSAGES;
    say(`warm-up: ${WARMUP} messages on each`);
    await load('warm-up gateway', conversations, WARMUP, viaGateway, sendViaGateway);
    await load('warm-up bare', conversations, WARMUP, viaBare, sendViaBare);

    say(`gateway: ${total} messages at ${RATE}/s over ${N} conversations`);
    const g = await load('gateway', conversations, total, viaGateway, sendViaGateway);
    say(`bare graphql-ws: ${total} messages at ${RATE}/s over ${N} subscriptions`);
    const b = await load('bare', conversations, total, viaBare, sendViaBare);

    const rows = [
      summary('gateway (5 subgraphs, Kafka)', g.texts, viaGateway, g.seconds, g.failed),
      summary('bare graphql-ws + pubsub', b.texts, viaBare, b.seconds, b.failed),
    ];
    const cpu = cpus();
    const lines = [
      `machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, Node ${process.version}`,
      `${N} live conversations held by ${ADVISORS} advisors (${perAdvisor.join(' / ')}), ${MESSAGES} messages each (${total}) at ${RATE}/s, one process per subgraph, one gateway`,
      `client's message commit (sendMessage answered) -> received by the advisor's subscription:`,
      `${'path'.padEnd(30)} ${'p50'.padStart(10)} ${'p95'.padStart(10)} ${'p99'.padStart(10)} ${'max'.padStart(10)}   sent  lost  rate     commit p50/p95`,
      ...rows.map(
        (r) =>
          `${r.label.padEnd(30)} ${ms(r.p50).padStart(10)} ${ms(r.p95).padStart(10)} ${ms(r.p99).padStart(10)} ${ms(r.max).padStart(10)}   ${String(r.sent).padStart(4)}  ${String(r.lost + r.failed).padStart(4)}  ${r.rate.toFixed(1)}/s  ${ms(r.commitP50)} / ${ms(r.commitP95)}`,
      ),
      `ratio gateway/bare: p50 ${(rows[0]!.p50 / rows[1]!.p50).toFixed(1)}, p95 ${(rows[0]!.p95 / rows[1]!.p95).toFixed(1)}`,
      `delivered twice: gateway ${duplicates.get(viaGateway) ?? 0}, bare ${duplicates.get(viaBare) ?? 0}; delivered before the client had its answer: gateway ${rows[0]!.early}, bare ${rows[1]!.early}; bot replies while an advisor held the conversation: ${botReplies}; subscription errors: gateway ${consoles.slice(0, ADVISORS).reduce((n, c) => n + c.errors, 0)}, bare ${bareConsoles.reduce((n, c) => n + c.errors, 0)}`,
    ];
    for (const line of lines) console.log(line);
  } finally {
    for (const c of consoles) await Promise.resolve(c.client.dispose()).catch(() => undefined);
    await bare?.stop().catch(() => undefined);
    await system?.stop().catch(() => undefined);
    await postgres.stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
