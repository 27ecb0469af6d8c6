// npm run backfill -- FILE [--restart] [--batch-size N] [--max-lines N]
// Imports the legacy audit_sessions export (JSON Lines, docs/backfill.md) through the partner
// inbound topic. Progress and bad lines on stderr; the LAST line of stdout is one JSON object
// (the run's summary). Exit status: 0 done, 1 done with skipped bad lines or stopped early,
// 2 usage or checkpoint error, 78 bad environment.
import { env as envParsers, loadEnvOrExit, z } from '@crm/config';
import { KafkaTransport, TOPIC_CATALOG, prefixedCatalog, type TopicSpec } from '@crm/events';
import { createLogger } from '@crm/logging';
import { BackfillError, runBackfill } from './backfill';

// The composition root of this one-shot tool: it reads only what it needs (the service's
// env.ts would demand a database and secrets the backfill never uses).
export const backfillEnvSchema = z.object({
  KAFKA_BROKERS: envParsers.kafkaBrokers(),
  /** the same prefix the claims service runs with (topics of "staging." etc.) */
  EVENT_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash and underscore only')
    .default(''),
});

export interface CliArgs {
  file: string;
  restart: boolean;
  batchSize?: number;
  maxLines?: number;
}

export function parseArgs(argv: readonly string[]): CliArgs | string {
  let file: string | undefined;
  let restart = false;
  let batchSize: number | undefined;
  let maxLines: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const positive = (name: string): number | string => {
      const value = Number(argv[++i]);
      return Number.isInteger(value) && value > 0 ? value : `${name} needs a positive integer`;
    };
    if (arg === '--restart') restart = true;
    else if (arg === '--batch-size' || arg === '--max-lines') {
      const value = positive(arg);
      if (typeof value === 'string') return value;
      if (arg === '--batch-size') batchSize = value;
      else maxLines = value;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (file) return 'one input file only';
    else file = arg;
  }
  if (!file) return 'the input file is missing';
  return { file, restart, batchSize, maxLines };
}

/** The partner inbound topic of the catalog, under the environment's namespace. */
export function partnerInboundSpec(namespace: string): TopicSpec {
  const spec = prefixedCatalog(namespace, TOPIC_CATALOG).topics.find((t) => t.format === 'partner');
  if (!spec) throw new Error('the topic catalog has no partner inbound topic');
  return spec;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(`BACKFILL.USAGE: ${args}`);
    console.error('usage: npm run backfill -- FILE [--restart] [--batch-size N] [--max-lines N]');
    return 2;
  }
  const cfg = loadEnvOrExit(backfillEnvSchema);
  const transport = new KafkaTransport({
    brokers: cfg.KAFKA_BROKERS,
    clientId: 'crm-claims-backfill',
    logger: createLogger({ service: 'claims-backfill', level: 'warn', destination: process.stderr }),
  });
  const controller = new AbortController();
  const stop = () => {
    console.error('stopping after the batch in flight (checkpoint kept)');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await runBackfill({
      file: args.file,
      sink: transport,
      topic: partnerInboundSpec(cfg.EVENT_NAMESPACE),
      restart: args.restart,
      batchSize: args.batchSize,
      maxLines: args.maxLines,
      signal: controller.signal,
    });
    console.log(JSON.stringify(summary));
    return summary.complete && summary.skippedBadLines === 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof BackfillError) {
      console.error(`${err.code}: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await transport.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
