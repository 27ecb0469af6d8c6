// A real single-node Apache Kafka broker (KRaft: broker + controller in one JVM) for
// development, tests and CI, resolved from Maven Central with tools/kafka/pom.xml.
//
// One "instance" is a folder holding server.properties, the KRaft storage, the log and the
// PID file. The default instance lives in .cache/kafka/instances/<port>; tests that stop and
// restart a broker (issue 3 fault tests, the chaos run) start their own on other ports.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  openSync,
  closeSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
const pomPath = join(here, 'pom.xml');
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
  readFileSync(pomPath, 'utf8'),
)[1];
const cacheRoot = join(repoRoot, '.cache', 'kafka');
const libsDir = join(cacheRoot, KAFKA_VERSION, 'libs');

const log = (msg) => process.stderr.write(`[kafka] ${msg}\n`);

/** Where an instance keeps its files. */
export function instanceDir(port) {
  return join(cacheRoot, 'instances', String(port));
}

/** Resolves the broker jars once; later starts find them in .cache and skip Maven. */
export function ensureLibs() {
  const marker = join(libsDir, '.complete');
  if (existsSync(marker)) return libsDir;
  mkdirSync(libsDir, { recursive: true });
  log(`resolving Apache Kafka ${KAFKA_VERSION} from Maven Central (first start only)...`);
  const started = Date.now();
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      pomPath,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libsDir}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (mvn.error)
    throw new Error(`cannot run Maven (needed once to fetch the Kafka broker): ${mvn.error.message}`);
  if (mvn.status !== 0) throw new Error(`Maven failed (exit ${mvn.status}) while resolving the Kafka broker`);
  if (!readdirSync(libsDir).some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new Error(`Maven finished but ${libsDir} holds no kafka_2.13-${KAFKA_VERSION} jar`);
  }
  writeFileSync(marker, new Date().toISOString());
  log(`resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return libsDir;
}

/**
 * KAFKA_BROKER_PROPERTIES: extra `key=value` lines for server.properties, comma-separated
 * (tools/clock/test-shifted.sh: log.message.timestamp.type=LogAppendTime).
 */
function extraProperties(raw = process.env.KAFKA_BROKER_PROPERTIES ?? '') {
  const lines = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const line of lines) {
    if (!/^[a-z0-9.]+=\S+$/.test(line))
      throw new Error(`KAFKA_BROKER_PROPERTIES: "${line}" is not key=value`);
  }
  return lines;
}

function serverProperties({ port, controllerPort, dataDir }) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    // single node: internal topics cannot have more than one replica
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    // tests create and join many short-lived groups: do not wait 3 s for more members
    'group.initial.rebalance.delay.ms=0',
    // topics come from the catalog (packages/events) or the tests' admin calls, never by accident
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'log.retention.hours=24',
    'log.segment.bytes=67108864',
    ...extraProperties(),
    '',
  ].join('\n');
}

const log4jProperties = (logFile) =>
  [
    'log4j.rootLogger=WARN, file',
    'log4j.logger.kafka.server.KafkaServer=INFO',
    'log4j.logger.kafka.server.KafkaRaftServer=INFO',
    'log4j.logger.kafka.server.BrokerServer=INFO',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');

/**
 * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. One in 64 starts
 * with '-', which kafka-storage's argument parser reads as an option ("--cluster-id/-t: expected
 * one argument"): draw again, as Kafka's own Uuid.randomUuid does.
 */
export function newClusterId(random = () => randomBytes(16)) {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function java(args, opts) {
  const cp = `${libsDir}/*`;
  return ['java', ['-cp', cp, ...args], opts];
}

function readPid(dir) {
  const file = join(dir, 'broker.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** True when pid is alive and is a Kafka JVM (a recycled PID must never be signalled). */
export function isOurBroker(pid) {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('kafka.Kafka');
  } catch {
    return false;
  }
}

/** Resolves when something accepts TCP connections on host:port, false after timeoutMs. */
export function tcpAnswers(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolveProbe) => {
    const socket = createConnection({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolveProbe(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Proves the broker serves clients: creates a probe topic through the admin API, produces
 * one message and consumes it back through a consumer group with a manual offset commit.
 */
export async function probeBroker(brokers, { timeoutMs = 20_000 } = {}) {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: 'crm-broker-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
  });
  const topic = '__crm_broker_probe';
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId: `crm-probe-${randomBytes(4).toString('hex')}` });
  const marker = randomBytes(8).toString('hex');
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }).catch((e) => {
        if (!String(e?.message).includes('already exists')) throw e;
      });
    }
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'probe', value: marker }] });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise((resolveConsume, rejectConsume) => {
      const timer = setTimeout(
        () => rejectConsume(new Error(`no message consumed within ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic: t, partition, message }) => {
            if (message.value?.toString() !== marker) return;
            await consumer.commitOffsets([
              { topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() },
            ]);
            clearTimeout(timer);
            resolveConsume();
          },
        })
        .catch(rejectConsume);
    });
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}

function tail(file, lines = 30) {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Starts (or reuses) a broker listening on 127.0.0.1:port. Returns once a produce and a
 * consume succeed. `reused` says whether a running broker was found.
 */
export async function startBroker({
  port = 9092,
  controllerPort = port + 1,
  dir = instanceDir(port),
  heap = '512m',
  readyTimeoutMs = 120_000,
} = {}) {
  const brokers = [`127.0.0.1:${port}`];
  mkdirSync(dir, { recursive: true });
  const existing = readPid(dir);
  if (existing && isOurBroker(existing) && (await tcpAnswers(port))) {
    return { brokers, pid: existing, reused: true, dir };
  }
  if (await tcpAnswers(port)) {
    // someone else's broker (or another instance): reuse it only if it really is Kafka
    await probeBroker(brokers, { timeoutMs: 10_000 });
    return { brokers, pid: undefined, reused: true, dir };
  }
  if (existing && isOurBroker(existing)) {
    // alive but not listening yet (a start in progress, or wedged): take over cleanly
    await stopBroker({ port, dir });
  }

  ensureLibs();
  const dataDir = join(dir, 'data');
  const propsFile = join(dir, 'server.properties');
  const logFile = join(dir, 'broker.log');
  writeFileSync(propsFile, serverProperties({ port, controllerPort, dataDir }));
  writeFileSync(join(dir, 'log4j.properties'), log4jProperties(logFile));

  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const [cmd, args] = java([
      'kafka.tools.StorageTool',
      'format',
      '-t',
      newClusterId(),
      '-c',
      propsFile,
      '--ignore-formatted',
    ]);
    const fmt = spawnSync(cmd, args, { encoding: 'utf8' });
    if (fmt.error) throw new Error(`cannot run java (needed for the Kafka broker): ${fmt.error.message}`);
    if (fmt.status !== 0) throw new Error(`formatting KRaft storage failed:\n${fmt.stdout}${fmt.stderr}`);
  }

  const out = openSync(join(dir, 'broker.out'), 'a');
  const [cmd, args] = java([
    `-Xms256m`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
    'kafka.Kafka',
    propsFile,
  ]);
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  writeFileSync(join(dir, 'broker.pid'), String(child.pid));
  let exited = false;
  child.once('exit', () => (exited = true));

  const started = Date.now();
  let lastError;
  while (Date.now() - started < readyTimeoutMs) {
    if (exited || !isOurBroker(child.pid)) {
      throw new Error(
        `the Kafka broker exited during start-up; last lines of ${logFile}:\n${tail(logFile)}\n${tail(join(dir, 'broker.out'), 10)}`,
      );
    }
    if (await tcpAnswers(port)) {
      try {
        await probeBroker(brokers, { timeoutMs: 15_000 });
        return { brokers, pid: child.pid, reused: false, dir, startedInMs: Date.now() - started };
      } catch (err) {
        lastError = err;
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stopBroker({ port, dir });
  throw new Error(
    `the Kafka broker did not become ready within ${readyTimeoutMs} ms (${lastError?.message ?? 'port never opened'}); log: ${logFile}`,
  );
}

/** Stops the broker this project started in `dir`, by its PID; never touches another process. */
export async function stopBroker({
  port = 9092,
  dir = instanceDir(port),
  signal = 'SIGTERM',
  timeoutMs = 30_000,
} = {}) {
  const pid = readPid(dir);
  const pidFile = join(dir, 'broker.pid');
  if (!pid || !isOurBroker(pid)) {
    rmSync(pidFile, { force: true });
    return { stopped: false };
  }
  process.kill(pid, signal);
  const started = Date.now();
  while (isOurBroker(pid)) {
    if (Date.now() - started > timeoutMs) {
      log(`broker ${pid} did not stop within ${timeoutMs} ms; killing it`);
      process.kill(pid, 'SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(pidFile, { force: true });
  return { stopped: true, pid, inMs: Date.now() - started };
}

/** Removes an instance folder (data included); the broker must be stopped first. */
export function removeInstance(dir) {
  const pid = readPid(dir);
  if (pid && isOurBroker(pid)) throw new Error(`broker ${pid} still runs in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
}

export function brokerStatus({ port = 9092, dir = instanceDir(port) } = {}) {
  const pid = readPid(dir);
  return { port, dir, pid: pid && isOurBroker(pid) ? pid : undefined };
}
