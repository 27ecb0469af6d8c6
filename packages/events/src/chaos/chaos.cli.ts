// npm run chaos -- --kills N [--writers 2 --relays 2 --consumers 2 --rate 40 --gap 2.5]
// Starts a private broker and two databases, runs the scenario, prints one JSON line last and
// exits 1 unless lost, phantom, dup_applied and order_inversions are all 0.
import { randomBytes } from 'node:crypto';
import { startPrivateBroker } from '@crm/testing';
import { chaosPassed, runChaos } from './scenario';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
};

async function main(): Promise<number> {
  const kills = arg('kills', 20);
  const pgAdminUrl =
    process.env.TEST_PG_ADMIN_URL ??
    process.env.PG_ADMIN_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const say = (m: string) => process.stderr.write(`[chaos] ${m}\n`);
  say('starting a private Kafka broker');
  const broker = await startPrivateBroker();
  try {
    const result = await runChaos({
      kills,
      pgAdminUrl,
      databasePrefix: `crm_chaos_${randomBytes(3).toString('hex')}`,
      broker,
      writers: arg('writers', 2),
      relays: arg('relays', 2),
      consumers: arg('consumers', 2),
      writerRate: arg('rate', 40),
      // mean pause between two kills, in seconds (each pause is drawn from 0.6x to 1.4x of it)
      killIntervalMs: [arg('gap', 2.5) * 600, arg('gap', 2.5) * 1400],
      log: say,
    });
    console.log(JSON.stringify(result));
    return chaosPassed(result) ? 0 : 1;
  } finally {
    await broker.remove().catch((err: Error) => say(`could not remove the broker: ${err.message}`));
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(2);
  });
