// npm run bench:conversation: throughput and latency of the pure conversation engine over many
// scripted whole conversations (authentication, description, contextual questions, decision,
// follow-up, corrections, transfers). Prints turns per second and turn latency percentiles.
import {
  AUTONOMOUS_COLLISION_SCRIPT,
  type ConversationContext,
  type EngineInput,
  demoLookup,
  respond,
  startConversation,
} from '../services/conversation/src/engine';

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

function main(): void {
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

main();
