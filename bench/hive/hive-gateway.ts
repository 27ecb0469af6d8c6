// Hive Gateway as a standalone process for `npm run bench:gateway`: its CLI (`hive-gateway
// supergraph`) on plain node, one process (no workers), serving the committed supergraph with
// bench/hive/gateway.config.ts, pointed at the subgraph processes our gateway uses, on a free
// port of 127.0.0.1. The configuration's TypeScript (and @crm/auth's, through the "source"
// export condition) is loaded by the CLI's own loader, so no build is needed and tsx (which
// turns source maps on) is not in the process.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { freePort, waitFor } from '@crm/testing';

const repoRoot = join(__dirname, '..', '..');

export interface HiveGateway {
  /** the GraphQL endpoint */
  url: string;
  pid: number | undefined;
  output(): string;
  stop(): Promise<void>;
}

export async function startHiveGateway(options: {
  /** each subgraph's GraphQL endpoint, by name (identity, claims, ...) */
  subgraphs: Record<string, string>;
  userTokens: { secret: string; issuer: string; audience: string };
  internalPrivateKey: string;
  env?: Record<string, string>;
}): Promise<HiveGateway> {
  const port = await freePort();
  const bin = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist', 'bin.js');
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      bin,
      'supergraph',
      'schemas/supergraph.graphql',
      '--config-path',
      'bench/hive/gateway.config.ts',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--fork',
      '1',
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        // as @crm/testing starts our gateway (startProcess)
        NODE_ENV: 'test',
        ...Object.fromEntries(
          Object.entries(options.subgraphs).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]),
        ),
        JWT_SECRET: options.userTokens.secret,
        JWT_ISSUER: options.userTokens.issuer,
        JWT_AUDIENCE: options.userTokens.audience,
        INTERNAL_TOKEN_PRIVATE_KEY: options.internalPrivateKey,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(chunk.toString());
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const outcome = await waitFor(
      `Hive Gateway to become ready at ${baseUrl}/readiness`,
      async () => {
        if (exitCode !== undefined) return 'exited';
        const res = await fetch(`${baseUrl}/readiness`).catch(() => undefined);
        return res?.status === 200 ? 'ready' : false;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    if (outcome === 'exited') throw new Error(`Hive Gateway exited with ${exitCode} before it was ready`);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- hive-gateway output ---\n${lines.join('').slice(-4000)}`);
  }
  return {
    url: `${baseUrl}/graphql`,
    pid: child.pid,
    output: () => lines.join(''),
    async stop() {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
