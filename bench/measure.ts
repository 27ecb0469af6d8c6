// What the benchmarks measure with, shared by them (bench:gateway, bench:subscriptions,
// bench:soak): the log line, percentiles, a process's CPU and resident memory and the machine's
// CPU from /proc, and a closed loop of concurrent callers.
import { readFileSync } from 'node:fs';

export const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** user + system CPU of a process, in milliseconds (clock ticks are 100 per second on Linux) */
export const cpuMs = (pid: number | undefined): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/**
 * CPU the whole machine spent (every core, every process: ours, PostgreSQL, Kafka, the load
 * generator), in milliseconds: /proc/stat's first line without idle, iowait and steal (the time
 * the hypervisor gave other machines)
 */
export const machineCpuMs = (): number => {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]!
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user! + nice! + system! + irq! + softirq!) * 10;
};

/** resident memory of a process (VmRSS), in KiB */
export const rssKb = (pid: number | undefined): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
};

export interface LoopResult {
  requests: number;
  errors: number;
  /** one per request, in milliseconds */
  latencies: number[];
  seconds: number;
}

/**
 * A closed loop: `connections` callers, each sending its next request when the last one is
 * answered, for `seconds`. `send` resolves true for a good answer; false or a throw is an error.
 */
export async function closedLoop(
  send: () => Promise<boolean>,
  connections: number,
  seconds: number,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  const t0 = Date.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const started = performance.now();
        const ok = await send().catch(() => false);
        latencies.push(performance.now() - started);
        if (!ok) errors += 1;
      }
    }),
  );
  return { requests: latencies.length, errors, latencies, seconds: (Date.now() - t0) / 1000 };
}
