// A private Kafka broker for the tests that stop and restart one (never the shared 9092):
// tools/kafka/broker.mjs on a free port pair and a temporary folder. The .mjs module is driven
// through `node` child processes because jest's CommonJS runtime cannot import ES modules.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';

const run = promisify(execFile);
const RESULT_MARKER = '@@private-broker-result@@';
const BROKER_MODULE = resolve(__dirname, '..', '..', '..', 'tools', 'kafka', 'broker.mjs');

async function callBroker(
  fn: 'startBroker' | 'stopBroker' | 'removeInstance',
  arg: unknown,
): Promise<unknown> {
  const script = `
    const m = await import(${JSON.stringify(BROKER_MODULE)});
    const result = await m.${fn}(${fn === 'removeInstance' ? 'JSON.parse(process.argv[1]).dir' : 'JSON.parse(process.argv[1])'});
    process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify(result ?? null) + '\\n');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(arg)], {
    timeout: 180_000,
    maxBuffer: 1 << 20,
  });
  // the broker module may print on its way (Maven resolving the broker on a fresh machine, with
  // colour codes): the answer is the line after the marker
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (line === undefined) throw new Error(`the broker helper gave no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as unknown;
}

export interface PrivateBroker {
  brokers: string[];
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stops the broker and deletes its folder */
  remove(): Promise<void>;
}

export async function startPrivateBroker(): Promise<PrivateBroker> {
  let port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'crm-kafka-'));
  const settings = { port, controllerPort, dir, heap: '384m' };
  await callBroker('startBroker', settings);
  return {
    brokers: [`127.0.0.1:${port}`],
    port,
    start: async () => {
      await callBroker('startBroker', settings);
    },
    stop: async () => {
      await callBroker('stopBroker', { port, dir });
    },
    remove: async () => {
      await callBroker('stopBroker', { port, dir }).catch(() => undefined);
      await callBroker('removeInstance', { dir });
      port = 0;
    },
  };
}
