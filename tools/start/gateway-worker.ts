// The gateway of `npm start` on its own thread (gateway-thread.ts starts it): its event loop
// runs on the second core while the five subgraphs share the main thread's. Partner messages it
// receives (POST /api/v1/events) go to claims through the graph, like every other call.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@crm/logging';
import { startGateway } from '@crm/gateway/server';
import type { Env } from '@crm/gateway/env';
import type { ToGateway, FromGateway } from './gateway-thread';

const port = parentPort!;
const { env, logLevel } = workerData as { env: Env; logLevel: string };
const send = (message: FromGateway) => port.postMessage(message);

async function main(): Promise<void> {
  const gateway = await startGateway(env, createLogger({ service: 'gateway', level: logLevel }));
  port.on('message', (message: ToGateway) => {
    if (message.kind === 'stop') {
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
