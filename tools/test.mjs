#!/usr/bin/env node
// `npm test`: codegen, the web and TypeScript builds, lint, typecheck, the supergraph check,
// the unit tier, then the integration tier against a real
// PostgreSQL and a real Kafka broker that this script finds or starts (and stops again).
//
//   node tools/test.mjs               everything
//   node tools/test.mjs --only-int    the integration tier only (npm run test:int)
//   other arguments (or all after `--`) go to jest (e.g. a test path)
//
// Kafka: $KAFKA_BROKERS, else a broker already on 127.0.0.1:$KAFKA_PORT (9092), else one
// started here and stopped at the end.
// PostgreSQL: see tools/pg/postgres.mjs. While the integration tier runs, a watchdog probes
// both; if either stops answering the run is aborted with a message that names it, rather
// than left to hang on timeouts.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { repoRoot, startBroker, stopBroker, tcpAnswers } from './kafka/broker.mjs';
import { resolvePostgres, pgAnswers } from './pg/postgres.mjs';

const args = process.argv.slice(2);
const onlyInt = args.includes('--only-int');
const sep = args.indexOf('--');
// `npm run test:int -- services/claims`: npm drops its own `--`, so any argument that is not
// this script's flag goes to jest as well
const jestArgs = sep >= 0 ? args.slice(sep + 1) : args.filter((a) => a !== '--only-int');
const say = (msg) => process.stderr.write(`\n[test] ${msg}\n`);
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);

function step(name, cmd, cmdArgs) {
  say(name);
  const t0 = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: repoRoot });
  if (r.status !== 0) {
    say(`${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  say(`${name} passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// the types graphql-codegen derives from the SDL and the tests' documents (git-ignored)
step('codegen', 'npm', ['run', '-s', 'codegen']);
// the front ends the gateway serves, from their sources (the browser tests load them)
step('web build', 'npm', ['run', '-s', 'web:build']);
// the compiled JavaScript production runs (tsc -b, incremental: about 1 s when nothing changed,
// 25-50 s from a fresh clone); packages/testing/src/compiled.int.spec.ts starts it with node
step('build', 'npm', ['run', '-s', 'build']);
if (!onlyInt) {
  step('lint', 'npm', ['run', '-s', 'lint']);
  step('typecheck', 'npm', ['run', '-s', 'typecheck']);
  step('supergraph check', 'npm', ['run', '-s', 'supergraph:check']);
  step('error-code table check', 'npm', ['run', '-s', 'errors:check']);
  step('policy check', 'npm', ['run', '-s', 'policies:check']);
  step('OpenAPI check', 'npm', ['run', '-s', 'openapi:check']);
  step('unit tests', bin('jest'), ['--config', 'jest.unit.config.js', '--ci', ...jestArgs]);
}

const cleanups = [];
async function cleanup() {
  while (cleanups.length)
    await cleanups
      .pop()()
      .catch((e) => say(`cleanup: ${e.message}`));
}

let exitCode = 1;
try {
  // --- PostgreSQL
  const postgres = await resolvePostgres({ embeddedDir: join(repoRoot, '.cache', 'pg-test') });
  cleanups.push(postgres.stop);
  say(`PostgreSQL: ${postgres.origin} (${postgres.url.replace(/:[^:@/]+@/, ':***@')})`);

  // --- Kafka
  let brokers;
  if (process.env.KAFKA_BROKERS) {
    brokers = process.env.KAFKA_BROKERS.split(',');
    say(`Kafka: configured (${brokers.join(',')})`);
  } else {
    const port = Number(process.env.KAFKA_PORT ?? 9092);
    const broker = await startBroker({ port });
    brokers = broker.brokers;
    if (!broker.reused) cleanups.push(() => stopBroker({ port }));
    say(
      `Kafka: ${broker.reused ? 'reusing the running broker' : `started a local broker (pid ${broker.pid})`} at ${brokers.join(',')}`,
    );
  }

  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  cleanups.push(() => sweep(postgres.url, brokers, runId));

  // --- integration tier, watched
  say('integration tests');
  const t0 = Date.now();
  const jest = spawn(bin('jest'), ['--config', 'jest.int.config.js', '--ci', ...jestArgs], {
    stdio: 'inherit',
    cwd: repoRoot,
    detached: true,
    env: {
      ...process.env,
      TEST_PG_ADMIN_URL: postgres.url,
      KAFKA_BROKERS: brokers.join(','),
      TEST_RUN_ID: runId,
      // the processes the tests start run the build this script just made, with node, as
      // production runs them: about 40% less CPU to start than tsx on the sources, which a
      // two-core machine running three test files at once needs (TEST_PROCESS_RUNTIME=source
      // to run them from the sources instead)
      TEST_PROCESS_RUNTIME: process.env.TEST_PROCESS_RUNTIME || 'compiled',
    },
  });
  const stopWatch = watch({ pgUrl: postgres.url, brokers }, (reason) => {
    say(`ABORTING the integration run: ${reason}`);
    try {
      process.kill(-jest.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  });
  const status = await new Promise((r) => jest.once('exit', (code, signal) => r(code ?? (signal ? 1 : 0))));
  stopWatch();
  say(
    `integration tests ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  exitCode = status;
} catch (err) {
  say(`cannot run the integration tier: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await cleanup();
}
process.exit(exitCode);

/** Probes both dependencies every 2 s; three misses in a row call onDown once. */
function watch({ pgUrl, brokers }, onDown) {
  const misses = { kafka: 0, postgres: 0 };
  let fired = false;
  const timer = setInterval(async () => {
    const [host, port] = brokers[0].split(':');
    const kafkaUp = await tcpAnswers(Number(port), host, 1500);
    const pgError = await pgAnswers(pgUrl, 1500);
    misses.kafka = kafkaUp ? 0 : misses.kafka + 1;
    misses.postgres = pgError ? misses.postgres + 1 : 0;
    if (fired) return;
    if (misses.kafka >= 3) {
      fired = true;
      onDown(
        `the Kafka broker at ${brokers[0]} stopped answering (was it stopped? npm run kafka:start brings it back)`,
      );
    } else if (misses.postgres >= 3) {
      fired = true;
      onDown(`PostgreSQL stopped answering (${pgError})`);
    }
  }, 2000);
  return () => clearInterval(timer);
}

/** Drops what a crashed test file may have left: databases and topics named after this run. */
async function sweep(pgUrl, brokers, runId) {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const { rows } = await client.query('select datname from pg_database where datname like $1', [
      `crm_test_${runId}_%`,
    ]);
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    if (rows.length) say(`swept ${rows.length} leftover test database(s)`);
  } finally {
    await client.end();
  }
  if (!(await tcpAnswers(Number(brokers[0].split(':')[1]), brokers[0].split(':')[0], 1000))) return;
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'crm-test-sweep', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`t-${runId}-`));
    if (topics.length) {
      await admin.deleteTopics({ topics });
      say(`swept ${topics.length} leftover test topic(s)`);
    }
  } finally {
    await admin.disconnect();
  }
}
