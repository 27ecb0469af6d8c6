// Summarizes a V8 CPU profile (.cpuprofile, from node --cpu-prof or bench:gateway's
// BENCH_CPU_PROFILE): where the process spent its samples, by function and by package, self
// time only (a function's own work, not its callees'). Usage:
//   tsx bench/profile-summary.ts <file.cpuprofile> [rows]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  table('self time by package', byPackage);
  table('self time by function', byFunction);
}

main();
