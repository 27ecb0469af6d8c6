// The gateway of `npm start` on its own thread (gateway-thread.ts starts it): its event loop
// runs on the second core while the five subgraphs share the main thread's. Partner messages it
// receives (POST /api/v1/events) go to the main thread, which owns the event transport.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@crm/logging';
import { startGateway } from '@crm/gateway/server';
import type { Env } from '@crm/gateway/env';
import type { ToGateway, FromGateway } from './gateway-thread';

const port = parentPort!;
const { env, logLevel } = workerData as { env: Env; logLevel: string };
const send = (message: FromGateway) => port.postMessage(message);
const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
let nextId = 0;

const publishPartner = (message: Record<string, unknown>, key: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, { resolve, reject });
    send({ kind: 'publish', id, message, key });
  });

async function main(): Promise<void> {
  const gateway = await startGateway(env, createLogger({ service: 'gateway', level: logLevel }), {
    publishPartner,
  });
  port.on('message', (message: ToGateway) => {
    if (message.kind === 'published') {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
    } else if (message.kind === 'stop') {
      void gateway.stop().then(
        () => send({ kind: 'stopped' }),
        (err: unknown) => send({ kind: 'stopped', error: err instanceof Error ? err.message : String(err) }),
      );
    }
  });
  send({ kind: 'ready', url: gateway.url });
}

main().catch((err: unknown) =>
  send({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
