// npm run dead-letters -- list | replay PARTITION:OFFSET...
// The partners' dead letters (claims seals them): `list` prints one JSON line per letter (where,
// when, why, sealed under whose key, still readable), nothing of the person; `replay` republishes
// the chosen ones onto the partner inbound topic as the partner sent them, opened with claims'
// vault, and prints what it did. Needs claims' database and master key, and the broker.
// Exit status: 0 done, 1 some letters erased or missing, 2 usage, 78 bad environment.
import { env as envParsers, z } from '@crm/config';
import { openDatabase } from '@crm/db';
import { KafkaTransport } from '@crm/events';
import { createLogger, maskText } from '@crm/logging';
import { loadEnvWithMasterKey, privacyVariables, serviceVault, servicePrivacyOf } from '@crm/privacy';
import { backfillEnvSchema, partnerInboundSpec } from './backfill.cli';
import { listDeadLetters, replayDeadLetters } from './dead-letters';

// the backfill's variables (the broker, the environment's namespace) and claims' vault
const envSchema = backfillEnvSchema.extend({
  NODE_ENV: envParsers.nodeEnv(),
  /** claims' own database: its vault holds the dead letters' keys */
  DATABASE_URL: z.string().url(),
  ...privacyVariables(),
});

const USAGE = 'usage: npm run dead-letters -- list | replay PARTITION:OFFSET...';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...positions] = argv;
  if (command !== 'list' && command !== 'replay') {
    console.error(`DEAD_LETTERS.USAGE: ${USAGE}`);
    return 2;
  }
  if (command === 'replay' && (positions.length === 0 || positions.some((p) => !/^\d+:\d+$/.test(p)))) {
    console.error(
      `DEAD_LETTERS.USAGE: replay takes positions as PARTITION:OFFSET (list prints them). ${USAGE}`,
    );
    return 2;
  }
  // the master key checked as the service checks it (a wrong ring cannot open a letter)
  const cfg = loadEnvWithMasterKey(envSchema);
  const logger = createLogger({ service: 'claims-dead-letters', level: 'warn', destination: process.stderr });
  const db = await openDatabase({
    url: cfg.DATABASE_URL,
    applicationName: 'claims-dead-letters',
    poolSize: 2,
  });
  const kafka = new KafkaTransport({
    brokers: cfg.KAFKA_BROKERS,
    clientId: 'crm-claims-dead-letters',
    logger,
  });
  try {
    const vault = serviceVault(servicePrivacyOf(cfg), db);
    const spec = partnerInboundSpec(cfg.EVENT_NAMESPACE);
    if (command === 'list') {
      for (const line of await listDeadLetters(kafka, vault, spec, cfg.EVENT_NAMESPACE))
        console.log(JSON.stringify(line));
      return 0;
    }
    const result = await replayDeadLetters(kafka, vault, spec, positions, cfg.EVENT_NAMESPACE);
    console.log(JSON.stringify(result));
    return result.erased.length + result.missing.length > 0 ? 1 : 0;
  } finally {
    await kafka.close();
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`DEAD_LETTERS.FAILED: ${maskText(err instanceof Error ? err.message : String(err))}`);
    process.exit(1);
  },
);
