// Spawning and killing the chaos and fault-test workers (real processes, real SIGKILLs).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const WORKER = resolve(__dirname, 'worker.cli.ts');

export type Role = 'writer' | 'relay' | 'consumer';

export interface Worker {
  role: Role;
  id: string;
  child: ChildProcess;
  /** resolves with the exit signal (e.g. SIGKILL) or code */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function spawnWorker(role: Role, id: string, env: Record<string, string>): Worker {
  // node itself, with tsx as a loader: the `tsx` binary would run the script in a grandchild
  // that a SIGKILL of its parent leaves orphaned (still consuming, which defeats the test)
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', WORKER, role], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, WORKER_ID: id },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  return { role, id, child, exited, stderr: () => err };
}

/** Resolves once the worker printed `ready`; rejects if it exits or takes too long. */
export function whenReady(worker: Worker, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolveReady, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${worker.id} not ready after ${timeoutMs} ms:\n${worker.stderr()}`)),
      timeoutMs,
    );
    worker.child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    void worker.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${worker.id} exited (${signal ?? code}) before ready:\n${worker.stderr()}`));
    });
  });
}

export function kill(worker: Worker, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (worker.child.exitCode === null && worker.child.signalCode === null && worker.child.pid) {
    process.kill(worker.child.pid, signal);
  }
}

/** SIGTERM, then SIGKILL after graceMs. */
export async function stopWorker(worker: Worker, graceMs = 15_000): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  kill(worker, 'SIGTERM');
  const timer = setTimeout(() => kill(worker, 'SIGKILL'), graceMs);
  await worker.exited;
  clearTimeout(timer);
}
