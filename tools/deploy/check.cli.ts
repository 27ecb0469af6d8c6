// `npm run deploy:check` (through check.mjs): gathers docker-compose.yml, deploy/** and k8s/**,
// the variables every workload's env.ts declares and the topic catalog of packages/events,
// then runs the pure checks of core.ts. Exit status 1 when anything is wrong.
//   --verbose            also list the variables left to their schema default
//   --files-root <dir>   read docker-compose.yml, deploy/ and k8s/ from <dir> instead of the
//                        repository (the workloads' env.ts and the catalog still come from it)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { checkDeployment, COMPOSE_FILE } from './core';
import { show } from './kustomize';
import { type EnvVarSpec, type TopicDecl, type Workload } from './model';
import { validators } from './schemas';
import { generateKubernetesSchema, KUBERNETES_SCHEMA_FILE } from './schemas/generate';

const repoRoot = join(__dirname, '..', '..');

function readTree(root: string, dir: string, into: Record<string, string>): void {
  const abs = join(root, dir);
  if (!existsSync(abs)) return;
  for (const name of readdirSync(abs)) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) readTree(root, rel, into);
    else into[rel] = readFileSync(join(root, rel), 'utf8');
  }
}

/** docker-compose.yml, deploy/** and k8s/** under `root`, keyed by relative path. */
export function loadFiles(root: string = repoRoot): Record<string, string> {
  const files: Record<string, string> = {};
  if (existsSync(join(root, COMPOSE_FILE)))
    files[COMPOSE_FILE] = readFileSync(join(root, COMPOSE_FILE), 'utf8');
  readTree(root, 'deploy', files);
  readTree(root, 'k8s', files);
  return files;
}

interface ZodLike {
  safeParse(value: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } };
}

/** Reads the variables of an env.ts from its exported zod object schema `envSchema`. */
export async function envOf(file: string): Promise<EnvVarSpec[]> {
  const mod = (await import(file)) as { envSchema?: { shape?: Record<string, ZodLike> } };
  const shape = mod.envSchema?.shape;
  if (!shape) throw new Error(`${relative(repoRoot, file)} does not export a zod object named envSchema`);
  return Object.entries(shape).map(([name, schema]) => {
    const absent = schema.safeParse(undefined);
    const value = absent.data;
    return {
      name,
      required: !absent.success,
      check: (v: string) => {
        const r = schema.safeParse(v);
        return r.success ? undefined : (r.error?.issues.map((i) => i.message).join('; ') ?? 'invalid');
      },
      ...(absent.success && value !== undefined
        ? {
            defaultValue: Array.isArray(value) ? value.join(',') : show(value),
          }
        : {}),
    };
  });
}

export async function loadWorkloads(): Promise<Workload[]> {
  const out: Workload[] = [];
  const servicesDir = join(repoRoot, 'services');
  for (const name of readdirSync(servicesDir).sort()) {
    const env = join(servicesDir, name, 'src', 'env.ts');
    if (existsSync(env))
      out.push({ name, role: 'subgraph', workspace: `services/${name}`, env: await envOf(env) });
  }
  const gatewayEnv = join(repoRoot, 'gateway', 'src', 'env.ts');
  if (existsSync(gatewayEnv))
    out.push({ name: 'gateway', role: 'gateway', workspace: 'gateway', env: await envOf(gatewayEnv) });
  return out;
}

interface CatalogModule {
  TOPIC_CATALOG?: unknown;
  declaredTopics?: (catalog: unknown) => TopicDecl[];
}

/** The topics of packages/events' catalog, dead letters included; undefined if it has none. */
export async function loadTopics(): Promise<TopicDecl[] | undefined> {
  const candidates = ['@crm/events', join(repoRoot, 'packages', 'events', 'src', 'catalog.ts')];
  for (const candidate of candidates) {
    try {
      const mod = (await import(candidate)) as CatalogModule;
      if (mod.TOPIC_CATALOG && typeof mod.declaredTopics === 'function')
        return mod.declaredTopics(mod.TOPIC_CATALOG);
    } catch {
      // next candidate: the package entry may not export the catalog yet
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const rootIndex = args.indexOf('--files-root');
  const filesRoot = rootIndex >= 0 ? args[rootIndex + 1] : undefined;
  if (rootIndex >= 0 && !filesRoot) throw new Error('--files-root needs a directory');
  const t0 = Date.now();
  const files = loadFiles(filesRoot ?? repoRoot);
  if (filesRoot) console.log(`[deploy:check] deployment files from ${filesRoot}`);
  const workloads = await loadWorkloads();
  const topics = await loadTopics();
  const report = checkDeployment({ files, workloads, topics }, validators());

  const vendored = readFileSync(KUBERNETES_SCHEMA_FILE, 'utf8');
  if (JSON.stringify(JSON.parse(vendored)) !== JSON.stringify(generateKubernetesSchema()))
    report.problems.push({
      code: 'DEPLOY.SCHEMA_STALE',
      where: relative(repoRoot, KUBERNETES_SCHEMA_FILE).split(sep).join('/'),
      message:
        'differs from what kubernetes-types generates: run node_modules/.bin/tsx tools/deploy/schemas/generate.ts',
    });

  const { counts } = report;
  console.log(
    `[deploy:check] ${workloads.length} workloads (${workloads.map((w) => `${w.name}: ${w.env.length} variables`).join(', ')})`,
  );
  console.log(`[deploy:check] ${COMPOSE_FILE}: ${counts.composeServices} services`);
  for (const r of counts.k8sRenders)
    console.log(`[deploy:check] ${r.name}: ${r.resources} resources rendered`);
  console.log(
    topics
      ? `[deploy:check] topic catalog (packages/events): ${topics.length} topics compared with compose and k8s`
      : '[deploy:check] WARNING: no topic catalog found in packages/events; topics not compared',
  );
  if (verbose) for (const d of report.defaulted) console.log(`[deploy:check] default: ${d}`);
  for (const p of report.problems) console.log(`  ✗ ${p.code} ${p.where}: ${p.message}`);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (report.problems.length) {
    console.log(`[deploy:check] FAILED: ${report.problems.length} problems (${seconds} s)`);
    process.exitCode = 1;
  } else {
    console.log(`[deploy:check] OK (${seconds} s)`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  });
}
