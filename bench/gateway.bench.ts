// npm run bench:gateway: what the gateway costs. The system as real processes (five subgraphs
// and the gateway, real PostgreSQL and Kafka), one client file seeded, then interleaved rounds
// of BENCH_SECONDS each at BENCH_CONNECTIONS concurrent requests:
//   - "direct":  claims(first: 10) sent straight to the claims subgraph (with the internal token
//                a gateway would mint, minted by the load generator: the baseline)
//   - "gateway": the same query through the gateway
//   - "hive":    the same query through Hive Gateway (@graphql-hive/gateway)
//   - "file":    an advisor's client file (five subgraphs) through the gateway, then through Hive
// Every response body is checked (data present, no errors). Prints requests/s, p50/p99, the
// CPU the serving process spent per request and the CPU the whole machine spent per request
// (from /proc), the ratio gateway/direct (issue 21's target: >= 0.7), the ratios gateway/Hive on
// both queries (target: >= 1.5) and the most each of these could reach were our gateway free
// (the machine's CPU per request under Hive over the rest of the machine's under ours).
//
// Hive Gateway is a standalone process of its CLI on plain node (bench/hive/hive-gateway.ts),
// serving schemas/supergraph.graphql with bench/hive/gateway.config.ts, pointed at the same
// subgraph processes as our gateway. It does the same work per request as ours: a plugin
// (bench/hive/crm-tokens.ts, @crm/auth's functions) verifies the caller's user token and mints
// our internal token for every subgraph call (audience, request digest, one use); Hive's
// merging of identical subgraph calls in flight is turned off, since ours makes every call.
//
// BENCH_RUNTIMES (default "source,compiled"): one system per runtime, side by side, their
// rounds interleaved: "source" runs every process with tsx on the TypeScript sources (as the
// tests do), "compiled" with plain node on the build output (as the images and npm run
// start:prod do; npm run build runs first), "compiled-sourcemaps" the same with
// --enable-source-maps (the images' command line). Each system has its own Hive Gateway
// process, the same whatever the runtime (Hive is a case, not a runtime).
import { randomUUID } from 'node:crypto';
import { issueUserToken, InternalTokenSigner, INTERNAL_TOKEN_HEADER, requestDigest } from '@crm/auth';
import { graphqlClient, type ReplicatedSystem } from '@crm/testing';
import { Agent, fetch } from 'undici';
import { startHiveGateway, type HiveGateway } from './hive/hive-gateway';
import {
  build,
  CLAIMS_QUERY,
  FILE_QUERY,
  readAnswer,
  seedClientFile,
  startBenchSystem,
} from './gateway-system';
import { closedLoop, cpuMs, machineCpuMs, percentile, say } from './measure';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const RUNTIMES = {
  source: { runtime: 'source', env: {} },
  compiled: { runtime: 'compiled', env: {} },
  'compiled-sourcemaps': { runtime: 'compiled', env: { NODE_OPTIONS: '--enable-source-maps' } },
} as const;
type RuntimeName = keyof typeof RUNTIMES;
const runtimes = (process.env.BENCH_RUNTIMES ?? 'source,compiled').split(',').map((name) => {
  if (!(name in RUNTIMES))
    throw new Error(`BENCH_RUNTIMES: unknown runtime ${name} (${Object.keys(RUNTIMES).join(', ')})`);
  return name as RuntimeName;
});

interface Case {
  name: string;
  pid: number | undefined;
  send: (dispatcher: Agent) => Promise<boolean>;
}

interface Result {
  requests: number;
  errors: number;
  latencies: number[];
  cpuMsPerRequest: number;
  /** every process of the machine, the serving one included */
  machineMsPerRequest: number;
  seconds: number;
}

async function run(c: Case, dispatcher: Agent): Promise<Result> {
  const [cpu0, machine0] = [cpuMs(c.pid), machineCpuMs()];
  const result = await closedLoop(() => c.send(dispatcher), CONNECTIONS, SECONDS);
  return {
    ...result,
    cpuMsPerRequest: (cpuMs(c.pid) - cpu0) / result.requests,
    machineMsPerRequest: (machineCpuMs() - machine0) / result.requests,
  };
}

/** One system on a runtime, a client file seeded through its gateway, a Hive Gateway, the cases. */
async function prepare(
  runtime: RuntimeName,
): Promise<{ system: ReplicatedSystem; hive: HiveGateway; cases: Case[] }> {
  const { runtime: processRuntime, env: runtimeEnv } = RUNTIMES[runtime];
  // BENCH_CPU_PROFILE=<folder>: every process of the system writes a V8 CPU profile there when
  // it stops (node --cpu-prof; open it in Chrome's DevTools, or summarize it with
  // bench/profile-summary.ts); Hive and the load generator are not profiled
  const profile = process.env.BENCH_CPU_PROFILE;
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const system = await startBenchSystem(
    `bench_gw_${runtime.replace(/\W/g, '_')}`,
    processRuntime,
    runtimeEnv,
    nodeArgs,
  );
  let hive: HiveGateway | undefined;
  try {
    const gateway = system.gateways[0]!;
    const claims = system.services.claims[0]!;
    const gatewayPid = gateway.process.child.pid;
    const token = await issueUserToken(
      { sub: `bench-${randomUUID()}`, roles: ['advisor', 'supervisor'], name: 'Bench' },
      system.userTokens,
    );
    const gql = graphqlClient(gateway.url, token);
    const matricule = `BG-${100 + Math.floor(Math.random() * 899)}-QA`;
    const { clientId } = await seedClientFile(gql, matricule);
    hive = await startHiveGateway({
      subgraphs: Object.fromEntries(
        Object.entries(system.services).map(([name, replicas]) => [name, `${replicas[0]!.baseUrl}/graphql`]),
      ),
      userTokens: system.userTokens,
      internalPrivateKey: system.internalKeys.privateKey,
    });
    const hiveUrl = hive.url;
    say(`${runtime}: system and Hive Gateway ready, client file seeded`);

    const signer = new InternalTokenSigner(system.internalKeys.privateKey);
    const claimsBody = JSON.stringify({ query: CLAIMS_QUERY, operationName: 'Claims' });
    const fileBody = JSON.stringify({
      query: FILE_QUERY,
      operationName: 'File',
      variables: { id: clientId },
    });
    const check = async (res: Awaited<ReturnType<typeof fetch>>, field: string): Promise<boolean> => {
      const answer = await readAnswer(res);
      return 'data' in answer && answer.data[field] != null;
    };
    const via = async (url: string, dispatcher: Agent, body: string, field: string) =>
      check(
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
          dispatcher,
        }),
        field,
      );
    // Hive answers what ours answers: the same bodies, not only data present
    for (const body of [claimsBody, fileBody]) {
      const [ours, theirs] = await Promise.all(
        [gateway.url, hiveUrl].map(async (url) => {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body,
          });
          return JSON.stringify(await res.json());
        }),
      );
      if (ours !== theirs)
        throw new Error(`Hive Gateway answers otherwise than ours:\n  ours: ${ours}\n  Hive: ${theirs}`);
    }
    const cases: Case[] = [
      {
        name: 'direct (claims subgraph)',
        pid: claims.child.pid,
        send: async (dispatcher) => {
          const minted = await signer.mint({ sub: 'bench', roles: ['advisor'] }, 'claims', {
            request: requestDigest({ query: CLAIMS_QUERY, operationName: 'Claims' }),
          });
          const res = await fetch(`${claims.baseUrl}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: minted },
            body: claimsBody,
            dispatcher,
          });
          return check(res, 'claims');
        },
      },
      {
        name: 'gateway (same query)',
        pid: gatewayPid,
        send: (dispatcher) => via(gateway.url, dispatcher, claimsBody, 'claims'),
      },
      {
        name: 'hive (same query)',
        pid: hive.pid,
        send: (dispatcher) => via(hiveUrl, dispatcher, claimsBody, 'claims'),
      },
      {
        name: 'gateway (client file, 5 subgraphs)',
        pid: gatewayPid,
        send: (dispatcher) => via(gateway.url, dispatcher, fileBody, 'client'),
      },
      {
        name: 'hive (client file, 5 subgraphs)',
        pid: hive.pid,
        send: (dispatcher) => via(hiveUrl, dispatcher, fileBody, 'client'),
      },
    ];
    return { system, hive, cases };
  } catch (err) {
    await hive?.stop();
    await system.stop();
    throw err;
  }
}

async function main(): Promise<void> {
  if (runtimes.some((r) => RUNTIMES[r].runtime === 'compiled')) build();
  const prepared: { runtime: RuntimeName; system: ReplicatedSystem; hive: HiveGateway; cases: Case[] }[] = [];
  try {
    // one after the other: six processes starting at once are enough for two cores
    for (const runtime of runtimes) prepared.push({ runtime, ...(await prepare(runtime)) });
    say(
      `${ROUNDS} rounds of ${SECONDS} s at ${CONNECTIONS} connections, runtimes interleaved: ${runtimes.join(', ')}`,
    );
    const dispatcher = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 10_000 });
    // warm-up: plans cached, connections open, JIT warm
    for (const { runtime, cases } of prepared)
      for (const c of cases) {
        for (let i = 0; i < 50; i += 1) {
          const ok = await c.send(dispatcher);
          if (!ok) throw new Error(`${runtime} ${c.name}: the warm-up request failed (body check)`);
        }
      }
    const totals = new Map<string, Result[]>();
    const key = (runtime: RuntimeName, name: string) => `${runtime}\0${name}`;
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const c of prepared[0]!.cases.keys()) {
        for (const { runtime, cases } of prepared) {
          const result = await run(cases[c]!, dispatcher);
          const k = key(runtime, cases[c]!.name);
          totals.set(k, [...(totals.get(k) ?? []), result]);
          say(
            `round ${r + 1} ${runtime} ${cases[c]!.name}: ${(result.requests / result.seconds).toFixed(0)}/s, ${result.errors} errors`,
          );
        }
      }
    }
    const summary = prepared.flatMap(({ runtime, cases }) =>
      cases.map((c) => {
        const results = totals.get(key(runtime, c.name))!;
        const requests = results.reduce((n, x) => n + x.requests, 0);
        const seconds = results.reduce((n, x) => n + x.seconds, 0);
        const latencies = results.flatMap((x) => x.latencies);
        return {
          runtime,
          name: c.name,
          rps: requests / seconds,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          cpu: results.reduce((n, x) => n + x.cpuMsPerRequest * x.requests, 0) / requests,
          machine: results.reduce((n, x) => n + x.machineMsPerRequest * x.requests, 0) / requests,
          errors: results.reduce((n, x) => n + x.errors, 0),
        };
      }),
    );
    process.stdout.write(
      `\n${'runtime'.padEnd(20)} ${'case'.padEnd(36)}   req/s     p50 ms   p99 ms   CPU ms/req   machine ms/req   errors\n`,
    );
    for (const s of summary)
      process.stdout.write(
        `${s.runtime.padEnd(20)} ${s.name.padEnd(36)} ${s.rps.toFixed(0).padStart(7)} ${s.p50
          .toFixed(1)
          .padStart(10)} ${s.p99.toFixed(1).padStart(8)} ${s.cpu.toFixed(2).padStart(12)} ${s.machine
          .toFixed(2)
          .padStart(16)} ${String(s.errors).padStart(8)}\n`,
      );
    process.stdout.write('\n');
    const of = (runtime: RuntimeName, name: string) =>
      summary.find((s) => s.runtime === runtime && s.name === name)!;
    const verdict = (ratio: number, target: number) =>
      `${ratio.toFixed(2)}x (target >= ${target.toFixed(2)}: ${ratio >= target ? 'met' : 'NOT met'})`;
    // the same ratio round by round (the two cases ran one after the other): how much the
    // machine moved under the figure; the verdict stays on the totals above
    const perRound = (runtime: RuntimeName, a: string, b: string) => {
      const rate = (name: string) => totals.get(key(runtime, name))!.map((x) => x.requests / x.seconds);
      const [ours, theirs] = [rate(a), rate(b)];
      const ratios = ours.map((x, i) => x / theirs[i]!).sort((x, y) => x - y);
      const median = ratios[Math.floor((ratios.length - 1) / 2)]!;
      return `per round ${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)}x, median ${median.toFixed(2)}x`;
    };
    for (const runtime of runtimes) {
      const ratio = of(runtime, 'gateway (same query)').rps / of(runtime, 'direct (claims subgraph)').rps;
      process.stdout.write(`${runtime}: gateway / direct on the same query: ${verdict(ratio, 0.7)}\n`);
      for (const query of ['same query', 'client file, 5 subgraphs']) {
        const ours = of(runtime, `gateway (${query})`);
        const hive = of(runtime, `hive (${query})`);
        process.stdout.write(
          `${runtime}: gateway / Hive, ${query}: ${verdict(ours.rps / hive.rps, 1.5)}, CPU ${ours.cpu.toFixed(2)} vs ${hive.cpu.toFixed(2)} ms/req (${perRound(runtime, ours.name, hive.name)})\n`,
        );
        // with every core busy, requests/s follow the machine's CPU per request: the rest of the
        // machine (subgraphs, PostgreSQL, Kafka, the load generator) bounds the ratio whatever
        // our gateway does
        const rest = ours.machine - ours.cpu;
        process.stdout.write(
          `${runtime}:   the machine per request ${ours.machine.toFixed(2)} vs ${hive.machine.toFixed(2)} ms, of which outside the gateway ${rest.toFixed(2)} vs ${(hive.machine - hive.cpu).toFixed(2)} ms: a gateway of ours costing nothing would reach ${(hive.machine / rest).toFixed(2)}x\n`,
        );
      }
    }
    // Hive's process is the same in every runtime: only our processes are compared here
    if (runtimes.includes('source'))
      for (const runtime of runtimes.filter((r) => r !== 'source'))
        for (const c of prepared[0]!.cases.filter((x) => !x.name.startsWith('hive'))) {
          const a = of(runtime, c.name);
          const b = of('source', c.name);
          process.stdout.write(
            `${runtime} / source, ${c.name}: ${(a.rps / b.rps).toFixed(2)}x req/s, CPU ${a.cpu.toFixed(2)} vs ${b.cpu.toFixed(2)} ms/req\n`,
          );
        }
    await dispatcher.close();
    if (summary.some((s) => s.errors > 0)) process.exitCode = 1;
  } finally {
    for (const { system, hive } of prepared) {
      await hive.stop();
      await system.stop();
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:gateway failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
