// npm run bench:conversation: throughput and latency of the pure conversation engine over many
// scripted whole conversations (authentication, description, contextual questions, decision,
// follow-up, corrections, transfers). Prints turns per second and turn latency percentiles.
//
// Then the same turns as people feel them (issue 21, item 7), unless BENCH_GATEWAY=0: the system
// as processes (startReplicatedSystem: five subgraphs and one gateway over the real PostgreSQL
// and Kafka), chat visitors (POST /chat/sessions, then sendMessage through the gateway, each from
// an address of its own) declaring a parking collision as registered clients: one conversation
// alone, then BENCH_TYPING conversations at once (default 50) typing without pause for
// BENCH_SECONDS (default 20), each starting over when its declaration is done. A turn's latency
// is its sendMessage round trip; every answer is checked (a reply, no error).
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { issueUserToken } from '@crm/auth';
import { graphqlClient, startReplicatedSystem } from '@crm/testing';
import {
  AUTONOMOUS_COLLISION_SCRIPT,
  type ConversationContext,
  type EngineInput,
  demoLookup,
  respond,
  startConversation,
} from '../services/conversation/src/engine';
import { machineCpuMs, say } from './measure';

const SCRIPTS: readonly (readonly string[])[] = [
  AUTONOMOUS_COLLISION_SCRIPT,
  [
    'AB tiret 123 tiret CD',
    'ouais',
    "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière avant-hier vers 8h sur le boulevard Voltaire à Paris",
    "oui, j'ai mal au cou",
    'oui',
    'oui les policiers sont venus',
    'oui',
    'je ne sais pas',
    'oui',
  ],
  [
    'a b 1 2 3 c d',
    'tout à fait',
    'On a cambriolé ma maison cette nuit',
    'à mon domicile',
    "oui j'ai porté plainte ce matin au commissariat",
    'oui, le numéro est 2026/118877',
    'oui j’ai les factures',
    'deux mille cinq cents euros',
    'oui',
  ],
  [
    'MT-456-LR',
    'oui',
    'La machine à laver a inondé la salle de bain lundi dernier, chez moi',
    'non, elle est à nous',
    'oui des photos',
    '1200 euros',
    "non, en fait c'était mardi",
    'oui',
  ],
  [
    'Bonjour, je voudrais savoir où en est mon dossier',
    'MT 456 LR',
    'oui, c’est moi',
    'non merci, au revoir',
  ],
  ['LB-789-EF', 'oui', 'bof', 'quel temps fait-il ?', 'je veux parler à quelqu’un'],
  ['ZZ-999-ZZ', 'ZZ 999 ZZ'],
];

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 3000);
const WARMUP = 300;
const START = Date.parse('2026-11-18T15:00:00Z');

function runConversation(i: number, latencies: number[] | null): number {
  const script = SCRIPTS[i % SCRIPTS.length] ?? [];
  let now = new Date(START + i * 60_000);
  let context: ConversationContext = startConversation({
    conversationId: `bench-${i}`,
    claimId: `claim-${i}`,
    now,
  }).context;
  let turns = 0;
  for (const text of script) {
    now = new Date(now.getTime() + 5_000);
    const input: EngineInput = { type: 'user_message', text };
    const t0 = process.hrtime.bigint();
    const result = respond(context, input, now, demoLookup);
    const t1 = process.hrtime.bigint();
    latencies?.push(Number(t1 - t0) / 1e6);
    context = result.context;
    turns += 1;
    if (result.context.dialogue.status === 'completed' || result.context.dialogue.status === 'transferred')
      break;
  }
  return turns;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

function engineAlone(): void {
  for (let i = 0; i < WARMUP; i += 1) runConversation(i, null);
  const latencies: number[] = [];
  const t0 = process.hrtime.bigint();
  let turns = 0;
  for (let i = 0; i < CONVERSATIONS; i += 1) turns += runConversation(i, latencies);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const sorted = [...latencies].sort((a, b) => a - b);
  const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  console.log(`conversation engine benchmark (${SCRIPTS.length} scripts, Node ${process.version})`);
  console.log(`  conversations      ${CONVERSATIONS}`);
  console.log(`  turns              ${turns}`);
  console.log(`  wall time          ${seconds.toFixed(2)} s`);
  console.log(`  turns per second   ${Math.round(turns / seconds)}`);
  console.log(`  conversations/s    ${Math.round(CONVERSATIONS / seconds)}`);
  console.log(`  turn latency p50   ${fmt(percentile(sorted, 50))}`);
  console.log(`  turn latency p95   ${fmt(percentile(sorted, 95))}`);
  console.log(`  turn latency p99   ${fmt(percentile(sorted, 99))}`);
  console.log(`  turn latency max   ${fmt(sorted[sorted.length - 1] ?? 0)}`);
  console.log(
    JSON.stringify({
      conversations: CONVERSATIONS,
      turns,
      turnsPerSecond: Math.round(turns / seconds),
      p50Ms: Number(percentile(sorted, 50).toFixed(3)),
      p95Ms: Number(percentile(sorted, 95).toFixed(3)),
      p99Ms: Number(percentile(sorted, 99).toFixed(3)),
    }),
  );
}

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const pgAdminUrl =
  process.env.PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TYPING = Number(process.env.BENCH_TYPING ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

/** What a registered client types to declare a parking collision (the demo script, his matricule). */
const declaration = (matricule: string): string[] => [
  matricule,
  'oui c’est bien moi',
  ...AUTONOMOUS_COLLISION_SCRIPT.slice(2),
];

interface TurnStats {
  latencies: number[];
  errors: number;
  conversations: number;
  seconds: number;
}

async function throughTheGateway(): Promise<void> {
  say('starting the system (five subgraphs, one gateway) on the real PostgreSQL and Kafka');
  // BENCH_CPU_PROFILE=<folder>: every process writes a V8 CPU profile there when it stops
  // (summarize with bench/profile-summary.ts); TEST_PROCESS_RUNTIME=compiled runs the build output
  const profile = process.env.BENCH_CPU_PROFILE;
  const system = await startReplicatedSystem({
    label: 'bench_conv',
    ...(profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profile}`] } : {}),
    gateways: 1,
    infrastructure: { pgAdminUrl, kafkaBrokers: brokers, runId: `bench${process.pid}` },
    serviceEnv: Object.fromEntries(
      ['identity', 'claims', 'conversation', 'reimbursement', 'escalation'].map((s) => [
        s,
        { LOG_LEVEL: 'error' },
      ]),
    ),
    gatewayEnv: {
      LOG_LEVEL: 'error',
      // the load generator is few callers: the limits are not what this measures
      RATE_LIMIT_PER_PRINCIPAL: '100000000',
      RATE_LIMIT_PER_IP: '100000000',
    },
  });
  try {
    const gateway = system.gateways[0]!;
    const staff = graphqlClient(
      gateway.url,
      await issueUserToken(
        { sub: `bench-${randomUUID()}`, roles: ['advisor'], name: 'Bench' },
        system.userTokens,
      ),
    );
    say(`registering ${TYPING} clients, each with a motor contract`);
    const matricules: string[] = [];
    for (let i = 0; i < TYPING; i += 1) {
      const letter = (n: number) => String.fromCharCode(65 + (n % 26));
      const matricule = `B${letter(i)}-${String(100 + i)}-Q${letter(Math.floor(i / 26))}`;
      const { registerClient } = await staff<{ registerClient: { id: string } }>(
        `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`,
        { input: { matricule, civility: 'M.', lastName: `Banc${i}`, firstName: 'Marc', city: 'Lyon' } },
      );
      await staff(`mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }`, {
        input: {
          clientId: registerClient.id,
          contractNumber: `AUTO-${randomBytes(4).toString('hex')}`,
          type: 'AUTO',
          subscribedOn: '2021-03-01',
          status: 'ACTIVE',
          coverages: ['tiers', 'dommages collision'],
        },
      });
      matricules.push(matricule);
    }
    const base = gateway.url.replace(/\/graphql$/, '');
    let address = 0;
    /** one whole declaration as a chat visitor, until `until`: each turn's latency, bad answers counted */
    const converse = async (matricule: string, stats: TurnStats, until: number): Promise<void> => {
      address += 1;
      const ip = `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
      const opened = await fetch(`${base}/chat/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: '{}',
      });
      const session = (await opened.json()) as { conversationId: string; token: string };
      stats.conversations += 1;
      for (const text of declaration(matricule)) {
        if (performance.now() > until) return;
        const t0 = performance.now();
        const res = await fetch(gateway.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${session.token}`,
            'x-forwarded-for': ip,
          },
          body: JSON.stringify({
            query: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply } }`,
            variables: { input: { conversationId: session.conversationId, text } },
          }),
        });
        const body = (await res.json()) as {
          data?: { sendMessage?: { reply?: string } };
          errors?: unknown[];
        };
        stats.latencies.push(performance.now() - t0);
        if (body.errors || !body.data?.sendMessage?.reply) stats.errors += 1;
      }
    };
    const run = async (typing: number, seconds: number): Promise<TurnStats> => {
      const stats: TurnStats = { latencies: [], errors: 0, conversations: 0, seconds: 0 };
      const t0 = performance.now();
      const until = t0 + seconds * 1000;
      await Promise.all(
        Array.from({ length: typing }, async (_, i) => {
          while (performance.now() < until) await converse(matricules[i % matricules.length]!, stats, until);
        }),
      );
      stats.seconds = (performance.now() - t0) / 1000;
      return stats;
    };
    // the bot knows a client once identity's event reached conversation's directory
    const last = matricules[matricules.length - 1]!;
    for (let tries = 0; ; tries += 1) {
      const opened = await fetch(`${base}/chat/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.255.255.1' },
        body: '{}',
      });
      const probe = (await opened.json()) as { conversationId: string; token: string };
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${probe.token}` },
        body: JSON.stringify({
          query: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply } }`,
          variables: { input: { conversationId: probe.conversationId, text: last } },
        }),
      });
      const reply = ((await res.json()) as { data?: { sendMessage?: { reply?: string } } }).data?.sendMessage
        ?.reply;
      if (reply && /Vous êtes bien/.test(reply)) break;
      if (tries > 60) throw new Error(`the bot never knew the clients: ${reply ?? 'no reply'}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    say('warm-up: 2 s with 5 conversations');
    await run(Math.min(5, TYPING), 2);
    say(`one conversation alone for ${Math.max(5, SECONDS / 4)} s`);
    const alone = await run(1, Math.max(5, SECONDS / 4));
    say(`${TYPING} conversations typing without pause for ${SECONDS} s`);
    const machine0 = machineCpuMs();
    const crowd = await run(TYPING, SECONDS);
    const machinePerTurn = (machineCpuMs() - machine0) / crowd.latencies.length;
    const line = (name: string, s: TurnStats) => {
      const sorted = [...s.latencies].sort((a, b) => a - b);
      const ms = (p: number) => percentile(sorted, p).toFixed(0).padStart(5);
      return `  ${name.padEnd(28)} ${String(Math.round(s.latencies.length / s.seconds)).padStart(6)} ${ms(50)} ${ms(95)} ${ms(99)}   ${s.errors}`;
    };
    console.log('');
    console.log('bot turns through the gateway (sendMessage round trip, ms)');
    console.log(`  ${'case'.padEnd(28)} turns/s   p50   p95   p99   errors`);
    console.log(line('one conversation alone', alone));
    console.log(line(`${TYPING} conversations typing`, crowd));
    const p95 = percentile(
      [...crowd.latencies].sort((a, b) => a - b),
      95,
    );
    console.log(`  p95 with ${TYPING} typing: ${p95.toFixed(0)} ms (issue 21's target <= 100 ms)`);
    // callers without pause wait on average TYPING / (turns/s) (Little's law) and p95 is at least
    // that mean: the target needs a throughput, hence a CPU per turn on this machine's cores
    const cores = availableParallelism();
    const needed = TYPING / 0.1;
    console.log(
      `  the machine per turn with ${TYPING} typing: ${machinePerTurn.toFixed(1)} ms of CPU (every process: ours, PostgreSQL, Kafka, the load generator); p95 <= 100 ms needs >= ${needed} turns/s, so <= ${((cores * 1000) / needed).toFixed(1)} ms per turn on ${cores} cores`,
    );
    console.log(
      JSON.stringify({
        gateway: {
          alone: { turns: alone.latencies.length, errors: alone.errors },
          typing: TYPING,
          turnsPerSecond: Math.round(crowd.latencies.length / crowd.seconds),
          conversations: crowd.conversations,
          p50Ms: Number(
            percentile(
              [...crowd.latencies].sort((a, b) => a - b),
              50,
            ).toFixed(1),
          ),
          p95Ms: Number(p95.toFixed(1)),
          machineCpuMsPerTurn: Number(machinePerTurn.toFixed(2)),
          errors: crowd.errors,
        },
      }),
    );
  } finally {
    await system.stop();
  }
}

engineAlone();
if (process.env.BENCH_GATEWAY !== '0') {
  throughTheGateway().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
