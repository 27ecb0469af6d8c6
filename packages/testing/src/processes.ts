// Real processes for system tests: a service or the gateway started with tsx from its
// main.ts (or, runtime 'compiled', with plain node from the main.js `npm run build` wrote, as
// production runs it), with its own environment, waited for on its readiness endpoint, and
// stopped (or killed) at the end. Output is kept in memory and shown when the process fails
// to start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait';

const repoRoot = join(__dirname, '..', '..', '..');
// `node --import tsx` rather than the tsx binary: the binary runs the script in a grandchild
// that survives a SIGKILL of its parent, so a "crash" would leave the service running

/**
 * How a process runs: 'source' is tsx on the TypeScript sources (workspace packages resolve to
 * their src/ through the "source" export condition), 'compiled' is plain node on the build
 * output (packages resolve to their dist/ through the default condition), as the images and
 * `npm run start:prod` run it.
 */
export type ProcessRuntime = 'source' | 'compiled';

/**
 * The build output of a source entry: services/claims/src/main.ts -> services/claims/dist/main.js
 * (each workspace compiles src/ into dist/ with the same layout, tsconfig.build.json), and
 * tools/start/start.ts -> tools/start/dist/start.js (npm start's entry, compiled beside itself).
 */
export function compiledEntry(entry: string): string {
  const workspace = /^(.*\/)src\/(.*)\.ts$/.exec(entry);
  if (workspace) return `${workspace[1]}dist/${workspace[2]}.js`;
  const tool = /^(tools\/start\/)([^/]+)\.ts$/.exec(entry);
  if (tool) return `${tool[1]}dist/${tool[2]}.js`;
  throw new Error(`${entry}: not a TypeScript source that npm run build compiles`);
}

/**
 * The runtime of processes whose caller does not choose one: TEST_PROCESS_RUNTIME, which
 * tools/test.mjs sets to 'compiled' for the integration tier (it builds first, so dist/ is
 * the sources of this run), or 'source' (a test file run by hand, with no build needed).
 */
export function defaultRuntime(env: NodeJS.ProcessEnv = process.env): ProcessRuntime {
  const value = env.TEST_PROCESS_RUNTIME;
  if (value === undefined || value === '') return 'source';
  if (value === 'source' || value === 'compiled') return value;
  throw new Error(`TEST_PROCESS_RUNTIME=${value}: expected source or compiled`);
}

/** The node arguments that run an entry (relative to the repository root) with a runtime. */
export function runtimeArgs(entry: string, runtime: ProcessRuntime = defaultRuntime()): string[] {
  if (runtime === 'source') return ['--import', 'tsx', '--conditions=source', join(repoRoot, entry)];
  const built = join(repoRoot, compiledEntry(entry));
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  return [built];
}

export interface RunningProcess {
  name: string;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit (graceful shutdown) */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash */
  kill(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartProcessOptions {
  name: string;
  /** path of the entry point relative to the repository root, e.g. services/claims/src/main.ts */
  entry: string;
  env: Record<string, string>;
  port?: number;
  /** path polled until it answers 200 */
  readyPath?: string;
  readyTimeoutMs?: number;
  /** variables of this process's environment the child must not inherit */
  unsetEnv?: string[];
  /** tsx on the sources (the default) or node on the build output */
  runtime?: ProcessRuntime;
  /** node options before the entry, for those NODE_OPTIONS may not carry (e.g. --cpu-prof) */
  nodeArgs?: string[];
  /** every chunk the process writes (stdout and stderr), whole: output() keeps only the last ones */
  onOutput?: (text: string) => void;
}

/** A JSON log line at error level or above: @crm/logging's label, or pino's number. */
export function isErrorLogLine(line: string): boolean {
  return /"level":(50|60|"error"|"fatal")[,}]/.test(line);
}

/**
 * What every service a test starts (a process or in this one) is given for its pool: a
 * connection idle for 1 s goes back to the server. Three test files at once, each with its
 * system, kept up to 97 of a server's 100 connections open, nearly all idle (docs/testing.md).
 */
export const TEST_POOL_ENV = { DATABASE_IDLE_TIMEOUT_MS: '1000' } as const;

export async function startProcess(options: StartProcessOptions): Promise<RunningProcess> {
  const port = options.port ?? (await freePort());
  const lines: string[] = [];
  const inherited = { ...process.env };
  for (const name of options.unsetEnv ?? []) delete inherited[name];
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...runtimeArgs(options.entry, options.runtime)],
    {
      cwd: repoRoot,
      env: {
        ...inherited,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        ...TEST_POOL_ENV,
        ...options.env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    options.onOutput?.(text);
    lines.push(text);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
    // an error logged by a process under test (an INTERNAL the gateway masked, a consumer that
    // gave up) reaches the test's output, where a failure can be read; @crm/logging writes the
    // level's label ("level":"error"), pino's default its number (50, 60)
    for (const line of text.split('\n'))
      if (isErrorLogLine(line)) process.stderr.write(`[${options.name}] ${line}\n`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve((exitCode = code))),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const readyUrl = `${baseUrl}${options.readyPath ?? '/health/ready'}`;
  try {
    // a process that exits before it is ready fails the start at once, not at the timeout
    const outcome = await waitFor(
      `${options.name} to become ready at ${readyUrl}`,
      async () => {
        if (exitCode !== undefined) return 'exited';
        const res = await fetch(readyUrl).catch(() => undefined);
        return res?.status === 200 ? 'ready' : false;
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 100 },
    );
    if (outcome === 'exited') throw new Error(`${options.name} exited with ${exitCode} before it was ready`);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(
      `${(err as Error).message}\n--- ${options.name} output ---\n${lines.join('').slice(-4000)}`,
    );
  }
  return {
    name: options.name,
    port,
    baseUrl,
    child,
    output: () => lines.join(''),
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (exitCode !== undefined) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
