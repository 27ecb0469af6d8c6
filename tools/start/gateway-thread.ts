// `npm start` runs the gateway on a worker thread (gateway-worker.ts): one command still, but
// two event loops, so the gateway and the subgraphs each get a core (issue 21: one core at
// 106% while the machine was 68% busy). Under `npm start` the worker is TypeScript (tsx registers
// itself in it); under `npm run start:prod` it is the compiled gateway-worker.js, run by node.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Env } from '@crm/gateway/env';

/** main thread -> gateway */
export type ToGateway = { kind: 'stop' };
/** gateway -> main thread */
export type FromGateway =
  { kind: 'ready'; url: string } | { kind: 'failed'; error: string } | { kind: 'stopped'; error?: string };

export interface GatewayThread {
  url: string;
  stop(): Promise<void>;
}

export function startGatewayThread(options: {
  env: Env;
  logLevel: string;
  /** the thread died on its own (not asked to stop) */
  onExit: (code: number) => void;
}): Promise<GatewayThread> {
  const workerData = { env: options.env, logLevel: options.logLevel };
  // this module is compiled when it is a .js file (tools/start/dist)
  const worker = __filename.endsWith('.js')
    ? new Worker(join(__dirname, 'gateway-worker.js'), { workerData })
    : new Worker(
        `require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'gateway-worker.ts'))});`,
        { eval: true, workerData },
      );
  let stopping = false;
  let exited = false;
  let stopped: (() => void) | undefined;
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => {
      exited = true;
      if (stopping) stopped?.();
      else options.onExit(code);
    });
    worker.on('message', (message: FromGateway) => {
      switch (message.kind) {
        case 'ready':
          resolve({
            url: message.url,
            stop: () =>
              new Promise<void>((done) => {
                if (exited) return done();
                stopping = true;
                stopped = done;
                worker.postMessage({ kind: 'stop' } satisfies ToGateway);
              }),
          });
          return;
        case 'failed':
          reject(new Error(`the gateway did not start: ${message.error}`));
          return;
        case 'stopped':
          // the thread's last word: let it end (its handles are closed)
          void worker.terminate();
          return;
      }
    });
  });
}
