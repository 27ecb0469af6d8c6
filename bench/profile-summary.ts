// Summarizes a V8 CPU profile (.cpuprofile, from node --cpu-prof or bench:gateway's
// BENCH_CPU_PROFILE): where the process spent its samples, by function and by package in self
// time (a function's own work, not its callees'), then by function in total time (with its
// callees, as a share of the busy time: which step of a request costs what). Usage:
//   tsx bench/profile-summary.ts <file.cpuprofile> [rows]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package> (scoped too), the workspace folder, node internals, or V8 itself */
function packageOf(url: string): string {
  if (!url) return '(v8 / native)';
  if (url.startsWith('node:')) return '(node internals)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const workspace = /\/work\/[^/]+\/((?:packages|services)\/[^/]+|gateway|tools\/[^/]+)\//.exec(url);
  return workspace ? workspace[1]! : url.replace(/^file:\/\//, '');
}

function main(): void {
  const [file, rowsArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [rows]');
  const rows = Number(rowsArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const pkg = packageOf(url);
    const name = `${functionName || '(anonymous)'}  ${pkg}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const table = (title: string, map: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows))
      process.stdout.write(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${name}\n`);
  };
  // total time: a function's own work and its callees', each sample counted once per function
  // even when it recurses; of the busy time (idle and GC left out), where a request's work goes
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byTotal = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const leaf = byId.get(id)!.callFrame.functionName;
    if (leaf === '(idle)' || leaf === '(garbage collector)' || leaf === '(program)') continue;
    busy += us;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (functionName === '(root)') continue;
      const name = `${functionName || '(anonymous)'}  ${packageOf(url)}${url ? `:${lineNumber + 1}` : ''}`;
      if (seen.has(name)) continue;
      seen.add(name);
      byTotal.set(name, (byTotal.get(name) ?? 0) + us);
    }
  }
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  table('self time by package', byPackage);
  table('self time by function', byFunction);
  process.stdout.write(
    `\ntotal time by function (with its callees), of the busy time (${(busy / 1e6).toFixed(1)} s)\n`,
  );
  for (const [name, us] of [...byTotal].sort((a, b) => b[1] - a[1]).slice(0, rows))
    process.stdout.write(`${((100 * us) / busy).toFixed(1).padStart(6)}%  ${name}\n`);
}

main();
