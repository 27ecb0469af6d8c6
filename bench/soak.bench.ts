// npm run bench:soak: issue 21's soak ("10 minutes at 80% of the measured maximum with 0 errors
// and memory flat within 10%"). The system as production runs it (node on the build output,
// real PostgreSQL and Kafka, one gateway), SOAK_FILES client files seeded (a client, an active
// contract, 10 claims and an advisor each), then:
//   1. the maximum: a closed loop of 20 connections for SOAK_PROBE_SECONDS (default 20) on an
//      advisor's mix through the gateway (MIX below: mostly reads, a few writes that can repeat
//      forever);
//   2. the warm-up: the same open loop as the soak for SOAK_WARMUP_SECONDS (default 300), so
//      that each process's heap has grown to its working size (V8 sizes its heap from the
//      allocation it sees: the gateway's RSS rose for four minutes and then held, in a run
//      judged from minute 2); its errors count, its memory is shown and not judged;
//   3. the soak: an open loop (requests sent on a fixed schedule, whatever the answers) at
//      SOAK_LOAD (default 0.8) of that maximum for SOAK_SECONDS (default 600). Latency runs
//      from when a request was due, so a stalled system shows in p99 instead of slowing the
//      sender down. Every 10 s: each process's RSS (/proc) and V8 heap (its /metrics).
// One line per minute, then the verdict: 0 errors (a non-200, a GraphQL error or a body that
// is not what was asked all count, the warm-up's included) and, per process, the median RSS of
// the soak's last minute within 10% of its first minute's (of its second minute's when there
// was no warm-up of a minute at least). Exit code 0 only when both hold. Runs shorter than 3
// minutes (a smoke test) use windows of a third of the run instead of minutes.
import { loadavg } from 'node:os';
import { issueUserToken } from '@crm/auth';
import { graphqlClient, samplesOf, scrapeMetrics, SYSTEM_SERVICES, type RunningProcess } from '@crm/testing';
import { Agent, fetch } from 'undici';
import {
  build,
  CLAIMS_QUERY,
  FILE_QUERY,
  readAnswer,
  seedClientFile,
  startBenchSystem,
} from './gateway-system';
import { closedLoop, percentile, rssKb, say } from './measure';

const PROBE_SECONDS = Number(process.env.SOAK_PROBE_SECONDS ?? 20);
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const WARMUP_SECONDS = Number(process.env.SOAK_WARMUP_SECONDS ?? 300);
const LOAD = Number(process.env.SOAK_LOAD ?? 0.8);
const FILES = Number(process.env.SOAK_FILES ?? 3);
const CONNECTIONS = 20;
const SAMPLE_SECONDS = 10;
/** memory is flat when the last window's median RSS is within this of the baseline's */
const FLAT = 0.1;
/** a machine busier than this before the run makes the verdict a guess, not a measurement */
const BUSY_LOAD1 = 1.5;
/** requests waiting for an answer beyond which the system is not keeping up: counted as errors, not sent */
const MAX_IN_FLIGHT = 1000;
/** the report's period and the verdict's windows: minutes, or a third of a short run */
const WINDOW = SOAK_SECONDS >= 180 ? 60 : Math.max(SAMPLE_SECONDS, Math.floor(SOAK_SECONDS / 30) * 10);

if (
  !(PROBE_SECONDS > 0) ||
  !(LOAD > 0) ||
  !(FILES >= 1) ||
  !(SOAK_SECONDS >= 30) ||
  SOAK_SECONDS % 10 !== 0 ||
  !(WARMUP_SECONDS >= 0)
)
  throw new Error(
    'SOAK_PROBE_SECONDS > 0, SOAK_LOAD > 0, SOAK_FILES >= 1, SOAK_SECONDS a multiple of 10, at least 30, ' +
      'and SOAK_WARMUP_SECONDS >= 0',
  );
/** the soak's window the memory verdict starts from: its first once warm, else its second */
const BASELINE_WINDOW = WARMUP_SECONDS >= WINDOW ? 1 : 2;

/** One in 20 requests of each kind of write, the rest reads: an advisor working client files. */
type Operation = 'file' | 'claims' | 'activity' | 'status';
const MIX: readonly Operation[] = [
  ...Array.from({ length: 9 }, () => ['file', 'claims'] as const).flat(),
  'activity',
  'status',
];

const ACTIVITY_MUTATION = `mutation Activity($input: RecordClaimActivityInput!) {
  recordClaimActivity(input: $input) { id }
}`;
const STATUS_MUTATION = `mutation Status($input: SetAdvisorStatusInput!) {
  setAdvisorStatus(input: $input) { id status }
}`;
// an advisor on a call, then on a break, and so on: never AVAILABLE, which would hand him work
const STATUSES = ['BUSY', 'ON_BREAK'] as const;
const ACTIVITIES = [
  { kind: 'LETTER_SENT', detail: 'Courrier de relance envoyé à l’assuré' },
  { kind: 'GARAGE_APPOINTMENT', detail: 'Rendez-vous au garage Lyon Est, mardi 9 h' },
] as const;

interface File {
  clientId: string;
  contractId: string;
  claimIds: string[];
  advisorId: string;
  /** the advisor's own token (roles: advisor): every request on this file is his */
  token: string;
  /** requests sent on this file so far, by operation (picks the claim, the status) */
  sent: Record<Operation, number>;
}

/** null: the answer is right; otherwise what was wrong with it */
type Outcome = string | null;

const mb = (kb: number) => (kb / 1024).toFixed(1);
const median = (values: number[]) => percentile(values, 50);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Sends request number `i` of the mix and checks its answer. */
function sender(url: string, files: File[], dispatcher: Agent): (i: number) => Promise<Outcome> {
  const post = async (file: File, body: object): Promise<Record<string, unknown> | string> => {
    const answer = await readAnswer(
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${file.token}` },
        body: JSON.stringify(body),
        dispatcher,
      }),
    );
    return 'data' in answer ? answer.data : answer.problem;
  };
  return async (i) => {
    const operation = MIX[i % MIX.length]!;
    const file = files[Math.floor(i / MIX.length) % files.length]!;
    const n = file.sent[operation]++;
    switch (operation) {
      case 'file': {
        const data = await post(file, {
          query: FILE_QUERY,
          operationName: 'File',
          variables: { id: file.clientId },
        });
        if (typeof data === 'string') return `file: ${data}`;
        const client = data.client as {
          id: string;
          contracts: { id: string }[];
          conversations: unknown[];
          claims: { edges: unknown[] };
        } | null;
        return client?.id === file.clientId &&
          client.contracts.length === 1 &&
          client.contracts[0]!.id === file.contractId &&
          Array.isArray(client.conversations) &&
          client.claims.edges.length === Math.min(10, file.claimIds.length)
          ? null
          : 'file: wrong body';
      }
      case 'claims': {
        const data = await post(file, { query: CLAIMS_QUERY, operationName: 'Claims' });
        if (typeof data === 'string') return `claims: ${data}`;
        const edges = (data.claims as { edges: { node: { id: string } }[] } | null)?.edges;
        return edges?.length === 10 && edges.every((e) => typeof e.node.id === 'string')
          ? null
          : 'claims: wrong body';
      }
      case 'activity': {
        const claimId = file.claimIds[n % file.claimIds.length]!;
        const data = await post(file, {
          query: ACTIVITY_MUTATION,
          operationName: 'Activity',
          variables: { input: { claimId, ...ACTIVITIES[n % ACTIVITIES.length]! } },
        });
        if (typeof data === 'string') return `activity: ${data}`;
        return (data.recordClaimActivity as { id: string } | null)?.id === claimId
          ? null
          : 'activity: wrong body';
      }
      case 'status': {
        const status = STATUSES[n % STATUSES.length]!;
        const data = await post(file, {
          query: STATUS_MUTATION,
          operationName: 'Status',
          variables: { input: { advisorId: file.advisorId, status } },
        });
        if (typeof data === 'string') return `status: ${data}`;
        const advisor = data.setAdvisorStatus as { id: string; status: string } | null;
        return advisor?.id === file.advisorId && advisor.status === status ? null : 'status: wrong body';
      }
    }
  };
}

interface Completed {
  /** seconds since the soak started, when the answer came */
  at: number;
  /** from when the request was due to its answer, ms */
  latency: number;
  outcome: Outcome;
}

/**
 * The open loop: request k is due at k / rate seconds and sent then, whether or not the earlier
 * ones were answered (a timer catches up when it woke late). Resolves when every request sent
 * has its answer.
 */
async function openLoop(
  rate: number,
  seconds: number,
  send: (i: number) => Promise<Outcome>,
  done: (c: Completed) => void,
): Promise<number> {
  const interval = 1000 / rate;
  const t0 = performance.now();
  const inFlight = new Set<Promise<void>>();
  let k = 0;
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= seconds * 1000) break;
    for (; k * interval <= elapsed; k += 1) {
      const due = t0 + k * interval;
      const finish = (outcome: Outcome) =>
        done({ at: (performance.now() - t0) / 1000, latency: performance.now() - due, outcome });
      if (inFlight.size >= MAX_IN_FLIGHT) {
        finish(`not sent: ${MAX_IN_FLIGHT} requests in flight`);
        continue;
      }
      const request = send(k)
        .catch((err: unknown) => `network: ${err instanceof Error ? err.message : String(err)}`)
        .then(finish)
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await new Promise((r) => setTimeout(r, Math.max(1, t0 + k * interval - performance.now())));
  }
  await Promise.all(inFlight);
  return k;
}

interface Sample {
  /** seconds since the soak started */
  at: number;
  /** by process name: RSS in KiB and V8 heap used in bytes (NaN when /metrics did not answer) */
  rss: Map<string, number>;
  heap: Map<string, number>;
}

/** never throws: a process gone or not answering leaves NaN, which fails the memory verdict */
async function sample(processes: RunningProcess[], at: number): Promise<Sample> {
  const rss = new Map(
    processes.map((p) => {
      try {
        return [p.name, rssKb(p.child.pid)];
      } catch {
        return [p.name, NaN];
      }
    }),
  );
  const heaps = await Promise.all(
    processes.map(async (p) => {
      const families = await scrapeMetrics(p.baseUrl).catch(() => undefined);
      const used = families ? samplesOf(families, 'crm_nodejs_heap_size_used_bytes')[0]?.value : undefined;
      return [p.name, used ?? NaN] as const;
    }),
  );
  return { at, rss, heap: new Map(heaps) };
}

/** rate, errors and latency of the answers that came in a span of `seconds` */
function stats(answers: Completed[], seconds: number): string {
  const latencies = answers.map((c) => c.latency);
  const errors = answers.filter((c) => c.outcome !== null).length;
  return (
    `${(answers.length / seconds).toFixed(1).padStart(6)}/s  errors ${errors}  ` +
    `p50 ${percentile(latencies, 50).toFixed(0).padStart(4)} ms  p99 ${percentile(latencies, 99)
      .toFixed(0)
      .padStart(5)} ms`
  );
}

async function main(): Promise<void> {
  const startLoad = loadavg()[0]!;
  say(`load average at start: ${load()}`);
  build();
  const system = await startBenchSystem('bench_soak', 'compiled');
  // ten minutes is long enough to be interrupted: the databases and topics go all the same
  const interrupted = () => {
    say('interrupted: stopping the system');
    void system.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  const dispatcher = new Agent({
    connections: 100,
    keepAliveTimeout: 10_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  try {
    const gateway = system.gateways[0]!;
    const processes = [gateway.process, ...SYSTEM_SERVICES.flatMap((s) => system.services[s])];
    const ttl = PROBE_SECONDS + WARMUP_SECONDS + SOAK_SECONDS + 3600;
    const supervisor = await issueUserToken(
      { sub: 'bench-soak-supervisor', roles: ['supervisor'], name: 'Bench' },
      system.userTokens,
      ttl,
    );
    const gql = graphqlClient(gateway.url, supervisor);
    const files: File[] = [];
    for (let f = 0; f < FILES; f += 1) {
      const seeded = await seedClientFile(gql, `SK-${String(100 + f).padStart(3, '0')}-QA`);
      const { registerAdvisor } = await gql<{ registerAdvisor: { id: string } }>(
        `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
        { input: { name: `Conseiller ${f + 1}`, status: 'BUSY' } },
      );
      const token = await issueUserToken(
        { sub: registerAdvisor.id, roles: ['advisor'], name: `Conseiller ${f + 1}` },
        system.userTokens,
        ttl,
      );
      files.push({
        ...seeded,
        advisorId: registerAdvisor.id,
        token,
        sent: { file: 0, claims: 0, activity: 0, status: 0 },
      });
    }
    say(
      `system ready (compiled), ${FILES} client files seeded; mix per ${MIX.length} requests: ` +
        (['file', 'claims', 'activity', 'status'] as const)
          .map((o) => `${MIX.filter((m) => m === o).length} ${o}`)
          .join(', '),
    );
    const send = sender(gateway.url, files, dispatcher);

    // warm-up: plans cached, connections open, JIT warm; every kind of request must work
    for (let i = 0; i < MIX.length * FILES * 3; i += 1) {
      const outcome = await send(i);
      if (outcome) throw new Error(`the warm-up request ${i} failed: ${outcome}`);
    }

    let next = 0;
    const probeErrors = new Map<string, number>();
    const probe = await closedLoop(
      async () => {
        const outcome = await send(next++);
        if (outcome) probeErrors.set(outcome, (probeErrors.get(outcome) ?? 0) + 1);
        return outcome === null;
      },
      CONNECTIONS,
      PROBE_SECONDS,
    );
    const max = (probe.requests - probe.errors) / probe.seconds;
    const rate = LOAD * max;
    process.stdout.write(
      `max: ${max.toFixed(1)} requests/s (closed loop, ${CONNECTIONS} connections, ${probe.seconds.toFixed(0)} s, ` +
        `p50 ${percentile(probe.latencies, 50).toFixed(0)} ms, p99 ${percentile(probe.latencies, 99).toFixed(0)} ms, ` +
        `${probe.errors} errors)\n`,
    );
    for (const [what, count] of probeErrors) process.stdout.write(`  probe error x${count}: ${what}\n`);
    if (!(rate > 0)) throw new Error('the probe measured no successful request: nothing to soak at');
    process.stdout.write(
      `soak: open loop at ${rate.toFixed(1)} requests/s (${(LOAD * 100).toFixed(0)}% of the maximum) for ${SOAK_SECONDS} s` +
        `${WINDOW === 60 ? '' : `; SMOKE RUN: ${WINDOW} s windows instead of minutes, not issue 21's measurement`}\n`,
    );

    // the warm-up: the soak's own load, its errors kept for the verdict, its memory shown
    const warmup: Completed[] = [];
    if (WARMUP_SECONDS > 0) {
      const before = await sample(processes, 0);
      await openLoop(rate, WARMUP_SECONDS, send, (c) => warmup.push(c));
      const after = await sample(processes, WARMUP_SECONDS);
      const rss = processes
        .map((p) => `${p.name} ${mb(before.rss.get(p.name)!)} -> ${mb(after.rss.get(p.name)!)}`)
        .join('  ');
      process.stdout.write(
        `warm-up (${WARMUP_SECONDS} s, not judged for memory): ${stats(warmup, WARMUP_SECONDS)}  RSS MB: ${rss}\n`,
      );
    }

    // the soak: the sampler runs beside the open loop, every SAMPLE_SECONDS from its start
    const completed: Completed[] = [];
    const samples: Sample[] = [await sample(processes, 0)];
    const t0 = performance.now();
    const answeredIn = (from: number, to: number) =>
      completed.filter((c) => c.at > from && (c.at <= to || to >= SOAK_SECONDS));
    let printed = 0;
    const windowLine = (w: number) => {
      const from = w * WINDOW;
      const to = Math.min(from + WINDOW, SOAK_SECONDS);
      const rss = processes
        .map((p) => {
          const values = samples.filter((s) => s.at > from && s.at <= to).map((s) => s.rss.get(p.name)!);
          return `${p.name} ${mb(median(values))}`;
        })
        .join('  ');
      const label =
        WINDOW === 60 ? `minute ${String(w + 1).padStart(2)}` : `${String(from).padStart(3)}-${to} s`;
      process.stdout.write(`${label}: ${stats(answeredIn(from, to), to - from)}  RSS MB: ${rss}\n`);
    };
    // every SAMPLE_SECONDS: the processes' memory, and the last span's answers on stderr
    const record = async (at: number) => {
      const s = await sample(processes, at);
      samples.push(s);
      const memory = processes
        .map((p) => `${p.name} ${mb(s.rss.get(p.name)!)}/${(s.heap.get(p.name)! / 1048576).toFixed(1)}`)
        .join(' ');
      say(
        `${String(at).padStart(4)} s: ${stats(answeredIn(at - SAMPLE_SECONDS, at), SAMPLE_SECONDS)}; RSS/heap MB ${memory}`,
      );
      while ((printed + 1) * WINDOW <= at && (printed + 1) * WINDOW < SOAK_SECONDS) windowLine(printed++);
    };
    let sampling = Promise.resolve();
    const sampler = setInterval(() => {
      const at = Math.round((performance.now() - t0) / 1000 / SAMPLE_SECONDS) * SAMPLE_SECONDS;
      if (at < SOAK_SECONDS) sampling = sampling.then(() => record(at));
    }, SAMPLE_SECONDS * 1000);
    const sent = await openLoop(rate, SOAK_SECONDS, send, (c) => completed.push(c)).finally(() =>
      clearInterval(sampler),
    );
    await sampling;
    // the last sample once every answer is in
    await record(SOAK_SECONDS);
    while (printed * WINDOW < SOAK_SECONDS) windowLine(printed++);

    // the verdict
    const errors = [...warmup, ...completed].filter((c) => c.outcome !== null);
    const byOutcome = new Map<string, number>();
    for (const e of errors) byOutcome.set(e.outcome!, (byOutcome.get(e.outcome!) ?? 0) + 1);
    const latencies = completed.map((c) => c.latency);
    const endLoad = loadavg()[0]!;
    process.stdout.write(
      `\nverdict\n  requests: ${completed.length} (sent ${sent}; ${(completed.length / SOAK_SECONDS).toFixed(1)}/s ` +
        `against ${rate.toFixed(1)}/s asked), p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(
          latencies,
          99,
        ).toFixed(
          0,
        )} ms\n  errors: ${errors.length} (must be 0; warm-up included): ${errors.length === 0 ? 'ok' : 'FAILED'}\n`,
    );
    for (const [what, count] of byOutcome) process.stdout.write(`    x${count}: ${what}\n`);
    const baseline = samples.filter(
      (s) => s.at > (BASELINE_WINDOW - 1) * WINDOW && s.at <= BASELINE_WINDOW * WINDOW,
    );
    const final = samples.filter((s) => s.at > SOAK_SECONDS - WINDOW);
    const unit = WINDOW === 60 ? 'minute' : `${WINDOW} s window`;
    process.stdout.write(
      `  memory (median RSS of the soak's ${unit} ${BASELINE_WINDOW}, ${
        BASELINE_WINDOW === 1 ? `after ${WARMUP_SECONDS} s of warm-up` : `${unit} 1 being its warm-up`
      }, against the last ${unit}; flat within ${FLAT * 100}%):\n`,
    );
    let flat = true;
    for (const p of processes) {
      const before = median(baseline.map((s) => s.rss.get(p.name)!));
      const after = median(final.map((s) => s.rss.get(p.name)!));
      const change = (after - before) / before;
      const ok = Math.abs(change) <= FLAT;
      flat &&= ok;
      const heap = (ss: Sample[]) => (median(ss.map((s) => s.heap.get(p.name)!)) / 1048576).toFixed(1);
      process.stdout.write(
        `    ${p.name.padEnd(14)} ${mb(before).padStart(7)} MB -> ${mb(after).padStart(7)} MB  ` +
          `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%  ${ok ? 'ok' : 'FAILED'}` +
          `   (heap used ${heap(baseline)} -> ${heap(final)} MB)\n`,
      );
    }
    process.stdout.write(
      `  load average: ${startLoad.toFixed(2)} at start, ${endLoad.toFixed(2)} at end (1 min; ${load()})\n`,
    );
    if (startLoad > BUSY_LOAD1)
      process.stdout.write(
        `  WARNING: load1 was ${startLoad.toFixed(2)} (> ${BUSY_LOAD1}) before the run: the machine was busy, ` +
          `this verdict is not a measurement\n`,
      );
    const passed = errors.length === 0 && probe.errors === 0 && flat;
    process.stdout.write(
      `  ${passed ? 'PASSED' : 'FAILED'}${WINDOW === 60 ? '' : ' (smoke run)'}${
        probe.errors > 0 ? `; the probe had ${probe.errors} errors` : ''
      }\n`,
    );
    process.exitCode = passed ? 0 : 1;
  } finally {
    process.off('SIGINT', interrupted);
    await dispatcher.close();
    await system.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
