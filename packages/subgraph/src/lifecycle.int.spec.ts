// A service's life as an operator sees it, on real processes (escalation: durable consumers, a
// live feed, timers), the real PostgreSQL and real Kafka brokers:
// - killed (SIGKILL) and started again, it is ready while its dead predecessor still holds the
//   consumer group (readiness does not wait for the broker to expire the dead member), and its
//   consumers join once the broker lets them;
// - stopped right after such a restart (consumers still joining), it exits within its deadline;
// - stopped while its broker is down, it exits within its deadline too.
import { generateInternalKeys } from '@crm/auth';
import {
  createTestDatabase,
  deleteNamespaceTopics,
  integrationEnv,
  randomSuffix,
  samplesOf,
  scrapeMetrics,
  startPrivateBroker,
  startSubgraphProcess,
  waitFor,
  type RunningProcess,
  type TestDatabase,
} from '@crm/testing';

jest.setTimeout(240_000);

/** the deadline given to every process here (SHUTDOWN_TIMEOUT_MS) */
const DEADLINE_MS = 4000;
/** what the test allows on top of it: the signal's delivery and the process's exit */
const EXIT_SLACK_MS = 3000;
/** the brokers' default session timeout, the time a dead member holds its group */
const SESSION_TIMEOUT_MS = 30_000;

const keys = generateInternalKeys();
const processes: RunningProcess[] = [];
const databases: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill().catch(() => undefined)));
  await Promise.all(databases.map((d) => d.drop().catch(() => undefined)));
});

async function escalation(
  name: string,
  database: TestDatabase,
  brokers: readonly string[],
  namespace: string,
): Promise<{ proc: RunningProcess; readyMs: number }> {
  const started = Date.now();
  const proc = await startSubgraphProcess({
    service: 'escalation',
    name,
    databaseUrl: database.url,
    kafkaBrokers: brokers,
    namespace,
    internalPublicKey: keys.publicKey,
    env: { SHUTDOWN_TIMEOUT_MS: String(DEADLINE_MS) },
  });
  processes.push(proc);
  return { proc, readyMs: Date.now() - started };
}

/** SIGTERM, and how long the process took to exit, with its code. */
async function stopTimed(proc: RunningProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const code = await proc.stop();
  return { code, ms: Date.now() - started };
}

/** The durable consumers' "joined" gauges (the live feed's group is the process's own: left out). */
async function joined(proc: RunningProcess): Promise<number[]> {
  const families = await scrapeMetrics(proc.baseUrl);
  return samplesOf(families, 'crm_consumer_joined')
    .filter((s) => !s.labels.consumer!.includes('.live.'))
    .map((s) => s.value ?? -1);
}

describe('a service process restarted, stopped, and stopped without its broker', () => {
  it('after a SIGKILL it is ready before the dead member leaves the group, stops within its deadline while joining, and its consumers join later', async () => {
    const { kafkaBrokers } = integrationEnv();
    const namespace = `t-${integrationEnv().runId}-life-${randomSuffix(3)}.`;
    const database = await createTestDatabase('life');
    databases.push(database);
    try {
      const first = await escalation('escalation-1', database, kafkaBrokers, namespace);
      await waitFor('the first process to hold its partitions', async () => {
        const gauges = await joined(first.proc);
        return gauges.length > 0 && gauges.every((v) => v === 1);
      });
      await first.proc.kill();

      const second = await escalation('escalation-2', database, kafkaBrokers, namespace);
      // ready while the broker still counts the killed process as a member: its consumers join
      // later, and meanwhile events wait in Kafka
      const gauges = await joined(second.proc);
      process.stdout.write(
        `[lifecycle] ready in ${first.readyMs} ms on a fresh start, ${second.readyMs} ms after a SIGKILL; joined at readiness: ${JSON.stringify(gauges)}\n`,
      );
      expect(second.readyMs).toBeLessThan(SESSION_TIMEOUT_MS);
      expect(gauges.length).toBeGreaterThan(0);
      expect(gauges).toContain(0);

      // stopped while joining: within the deadline, whatever the group does
      const stopped = await stopTimed(second.proc);
      process.stdout.write(`[lifecycle] stopped while joining in ${stopped.ms} ms (exit ${stopped.code})\n`);
      // 0: a clean stop (the backbone left behind in time), not the deadline's forced exit (1)
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(DEADLINE_MS + EXIT_SLACK_MS);

      // a third start joins once the broker has let the dead members go
      const third = await escalation('escalation-3', database, kafkaBrokers, namespace);
      await waitFor(
        'the consumers to join after the dead members expired',
        async () => (await joined(third.proc)).every((v) => v === 1),
        { timeoutMs: 2 * SESSION_TIMEOUT_MS + 30_000, intervalMs: 500 },
      );
      const ended = await stopTimed(third.proc);
      expect(ended).toEqual({ code: 0, ms: expect.any(Number) as number });
      expect(ended.ms).toBeLessThan(DEADLINE_MS + EXIT_SLACK_MS);
    } finally {
      await deleteNamespaceTopics(namespace).catch(() => undefined);
    }
  });

  it('stopped while its broker is down, it exits within its deadline', async () => {
    const broker = await startPrivateBroker();
    const database = await createTestDatabase('life_down');
    databases.push(database);
    try {
      const { proc } = await escalation('escalation-no-broker', database, broker.brokers, '');
      await waitFor('its consumers to join', async () => (await joined(proc)).every((v) => v === 1));
      await broker.stop();
      const stopped = await stopTimed(proc);
      process.stdout.write(
        `[lifecycle] stopped with the broker down in ${stopped.ms} ms (exit ${stopped.code})\n`,
      );
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(DEADLINE_MS + EXIT_SLACK_MS);
    } finally {
      await broker.remove();
    }
  });
});
