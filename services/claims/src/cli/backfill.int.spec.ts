// The backfill against the real broker and database: a claims service runs with a namespace
// of its own, the backfill produces 10,000 legacy sessions on that namespace's partner inbound
// topic, and the live consumer journals them. Interrupted then resumed, it produces each line
// once; run again from the start, it leaves the cases and the journal as they were.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { KafkaTransport } from '@crm/events';
import { createLogger } from '@crm/logging';
import { startService, type RunningService } from '@crm/subgraph';
import {
  createTestDatabase,
  deleteNamespaceTopics,
  integrationEnv,
  randomSuffix,
  type TestDatabase,
  waitForCount,
  TEST_INTERNAL_KEYS,
} from '@crm/testing';
import { envSchema } from '../env';
import { claimsService } from '../service';
import type { ClaimsParts } from '../context';
import { PARTNER_CONSUMER } from '../cases/partner.consumer';
import { checkpointPathOf, readCheckpoint, runBackfill, type BackfillSummary } from './backfill';
import { BACKFILL_SOURCE } from './backfill.rules';
import { partnerInboundSpec } from './backfill.cli';

const RECORDS = 10_000;
const LEADS = 300;
const INTENTS = ['DTV', 'RETIREMENT', 'ELITE'];
const SITES = ['siam-visa-pro', 'thai-visa-help'];
const BASE = Date.parse('2024-01-01T00:00:00Z');
const silent = () => new Writable({ write: (_c, _e, cb) => cb() });

// Deterministic sessions: a lead comes back with the same intent and site every 1,800 lines
// (25 days at one session per 20 minutes), so most sessions merge into an open case and some
// open a new one after the 30-day window. Every 1,000th line is broken.
const hasAudit = (i: number) => i % 5 !== 0;
const hasSummary = (i: number) => i % 3 !== 0;
const isBad = (i: number) => i % 1000 === 999;

function sessionLine(i: number): string {
  if (isBad(i)) return i % 2000 === 999 ? '{"session_id": "broken' : JSON.stringify({ session_id: `s-${i}` });
  const lead = i % LEADS;
  const created = BASE + i * 20 * 60_000;
  return JSON.stringify({
    session_id: `s-${i}`,
    email: `Lead.${lead}@Example.fr`,
    ...(lead % 4 === 0 ? { phone: `06 12 34 ${String(lead % 100).padStart(2, '0')} 78` } : {}),
    ...(lead % 3 === 0 ? { name: `client ${lead}` } : {}),
    visa_type: INTENTS[Math.floor(i / LEADS) % INTENTS.length],
    site_id: SITES[Math.floor(i / (LEADS * INTENTS.length)) % SITES.length],
    created_at: new Date(created).toISOString(),
    completed_at: i % 7 === 0 ? null : new Date(created + 15 * 60_000).toISOString(),
    audit: hasAudit(i)
      ? {
          status: ['VALID', 'INVALID', 'PENDING'][i % 3],
          confidence_score: i % 101,
          issues: i % 2 ? ['Missing Bank Statement'] : [],
          missing_docs: [],
          ready_for_payment: i % 4 === 0,
        }
      : null,
    summary: hasSummary(i)
      ? {
          executive_summary: `Synthèse ${i}`,
          strengths: ['Revenus stables'],
          weaknesses: [],
          action_plan: [{ step: 'Envoyer le justificatif', timing: 'J+2' }],
          visa_score: (i * 7) % 101,
        }
      : null,
  });
}

let db: TestDatabase;
let service: RunningService<ClaimsParts>;
let namespace: string;
let dir: string;
let file: string;
let transport: KafkaTransport;

const goodLines = [...Array(RECORDS).keys()].filter((i) => !isBad(i));
const EXPECTED_EVENTS = goodLines.reduce((n, i) => n + Number(hasAudit(i)) + Number(hasSummary(i)), 0);
const BAD_LINES = RECORDS - goodLines.length;

beforeAll(async () => {
  const { kafkaBrokers, runId } = integrationEnv();
  namespace = `t-${runId}-claims-backfill-${randomSuffix(3)}.`;
  db = await createTestDatabase('claims_backfill');
  const env = envSchema.parse({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'error',
    DATABASE_URL: db.url,
    INTERNAL_TOKEN_PUBLIC_KEY: TEST_INTERNAL_KEYS.publicKey,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    EVENT_NAMESPACE: namespace,
  });
  service = await startService(claimsService(), {
    env,
    logger: createLogger({ service: 'claims', level: 'error', destination: silent() }),
  });
  transport = new KafkaTransport({ brokers: kafkaBrokers, clientId: 'backfill-test' });
  dir = mkdtempSync(join(tmpdir(), 'backfill-'));
  file = join(dir, 'audit_sessions.jsonl');
  writeFileSync(file, [...Array(RECORDS).keys()].map(sessionLine).join('\n') + '\n');
}, 120_000);

afterAll(async () => {
  await transport?.close();
  await service?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await deleteNamespaceTopics(namespace);
}, 60_000);

function backfill(options: { restart?: boolean; maxLines?: number; stderr?: Writable } = {}) {
  return runBackfill({
    file,
    sink: transport,
    topic: partnerInboundSpec(namespace),
    batchSize: 500,
    stderr: options.stderr ?? silent(),
    ...options,
  });
}

async function partnerConsumer() {
  const health = await service.runtime.events.health();
  const consumer = health.consumers.find((c) => c.consumer.endsWith(PARTNER_CONSUMER));
  if (!consumer) throw new Error('no partner consumer');
  return consumer;
}

const journalCount = async (): Promise<number> => {
  const [row] = await service.runtime.dataSource.query<{ n: number }[]>(
    `select count(*)::int as n from case_events where source = $1`,
    [BACKFILL_SOURCE],
  );
  return row!.n;
};

const snapshot = async () => ({
  cases: await service.runtime.dataSource.query<Record<string, unknown>[]>(
    // lead_bidx: the lead's blind index (the lead itself is sealed, under each case's own key)
    `select case_id, lead_id, lead_bidx, intent, site_id, status, confidence_score, last_event_at, created_at
       from cases order by case_id`,
  ),
  journal: await service.runtime.dataSource.query<Record<string, unknown>[]>(
    `select event_id, case_id, type, source_id, timestamp from case_events order by event_id`,
  ),
});

describe('npm run backfill', () => {
  let imported: Awaited<ReturnType<typeof snapshot>>;

  it('imports an interrupted then resumed export once, through the live partner ingestion', async () => {
    const stderr: string[] = [];
    const capture = new Writable({
      write: (chunk: Buffer, _e, cb) => {
        stderr.push(chunk.toString());
        cb();
      },
    });
    const first = await backfill({ maxLines: 4_000, stderr: capture });
    expect(first).toMatchObject({ totalLines: RECORDS, resumedFrom: 0, linesRead: 4_000, complete: false });
    expect(readCheckpoint(file)).toMatchObject({ line: 4_000, complete: false });

    const second = await backfill({ stderr: capture });
    expect(second).toMatchObject({ resumedFrom: 4_000, linesRead: 6_000, complete: true });
    const runs: BackfillSummary[] = [first, second];
    const sum = (k: 'linesRead' | 'eventsProduced' | 'skippedBadLines') => runs.reduce((n, r) => n + r[k], 0);
    expect([sum('linesRead'), sum('eventsProduced'), sum('skippedBadLines')]).toEqual([
      RECORDS,
      EXPECTED_EVENTS,
      BAD_LINES,
    ]);
    // each bad line is named by its number (1-based) and code
    const report = stderr.join('');
    expect(report).toContain('line 1000: BACKFILL.MALFORMED_LINE');
    expect(report).toContain('line 2000: BACKFILL.INVALID_LINE');
    expect(report).toMatch(/10000\/10000 lines {2}100\.0%/);

    // as long as the consumer journals, however fast the machine is
    await waitForCount('the backfilled events in the journal', journalCount, EXPECTED_EVENTS);
    const consumer = await partnerConsumer();
    expect(consumer.deadLettered).toBe(0);
    imported = await snapshot();
    expect(imported.journal).toHaveLength(EXPECTED_EVENTS);
    // sessions merged into cases, and the 30-day window split some leads' cases
    const combos = new Set(
      imported.cases.map((c) => `${String(c.lead_bidx)}|${String(c.intent)}|${String(c.site_id)}`),
    );
    expect(imported.cases.length).toBeLessThan(EXPECTED_EVENTS / 2);
    expect(imported.cases.length).toBeGreaterThan(combos.size);
    // each case's lead opens to the normalized e-mail
    const leads = (await service.parts.cases.findByIds(imported.cases.map((c) => String(c.case_id)))).map(
      (c) => c.leadEmail,
    );
    expect(leads).toHaveLength(imported.cases.length);
    expect(leads.every((lead) => lead !== null && lead.includes('@') && lead === lead.toLowerCase())).toBe(
      true,
    );
    console.info(
      `backfill: ${RECORDS} lines, ${EXPECTED_EVENTS} events, ${imported.cases.length} cases; ` +
        `${first.linesPerSecond} and ${second.linesPerSecond} lines/s produced`,
    );
  }, 600_000);

  it('changes nothing when run again, finished or from the start', async () => {
    expect(imported).toBeDefined();
    const finished = await backfill();
    expect(finished).toMatchObject({ resumedFrom: RECORDS, linesRead: 0, eventsProduced: 0, complete: true });

    const before = await partnerConsumer();
    const again = await backfill({ restart: true });
    expect(again).toMatchObject({
      resumedFrom: 0,
      linesRead: RECORDS,
      eventsProduced: EXPECTED_EVENTS,
      skippedBadLines: BAD_LINES,
    });
    // every re-produced event reached the consumer and was recognized as already applied
    const seen = async () => {
      const c = await partnerConsumer();
      return c.applied + c.duplicates - before.applied - before.duplicates;
    };
    await waitForCount('the re-produced events at the consumer', seen, EXPECTED_EVENTS);
    const after = await partnerConsumer();
    expect(after.applied).toBe(before.applied);
    expect(await snapshot()).toEqual(imported);
  }, 600_000);

  it('refuses to resume on a file that changed before its checkpoint', async () => {
    // sessions with neither audit nor summary: nothing reaches the topic
    const small = join(dir, 'changed.jsonl');
    const quiet = (id: string) =>
      JSON.stringify({
        session_id: id,
        email: 'x@example.fr',
        visa_type: 'DTV',
        site_id: 's',
        created_at: '2024-01-01T00:00:00Z',
      });
    writeFileSync(small, `${quiet('a')}\n${quiet('b')}\n${quiet('c')}\n`);
    const run = (restart = false) =>
      runBackfill({
        file: small,
        sink: transport,
        topic: partnerInboundSpec(namespace),
        stderr: silent(),
        restart,
        maxLines: restart ? undefined : 2,
      });
    await expect(run()).resolves.toMatchObject({ linesRead: 2, sessionsWithoutEvents: 2, eventsProduced: 0 });
    writeFileSync(small, `${quiet('A')}\n${quiet('b')}\n${quiet('c')}\n`);
    await expect(run()).rejects.toMatchObject({ code: 'BACKFILL.CHECKPOINT_MISMATCH' });
    await expect(run(true)).resolves.toMatchObject({ linesRead: 3, complete: true });
    expect(JSON.parse(readFileSync(checkpointPathOf(small), 'utf8'))).toMatchObject({
      line: 3,
      complete: true,
    });
  }, 30_000);

  it('runs as a command: bad lines on stderr, the summary as the last line of stdout', async () => {
    const input = join(dir, 'cli.jsonl');
    const quiet = JSON.stringify({
      session_id: 'cli-1',
      email: 'cli@example.fr',
      intent: 'DTV',
      site_id: 's',
      created_at: '2024-01-01T00:00:00Z',
    });
    writeFileSync(input, `${quiet}\n{oops\n`);
    const result = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', join(__dirname, 'backfill.cli.ts'), input],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: integrationEnv().kafkaBrokers.join(','),
          EVENT_NAMESPACE: namespace,
        },
      },
    ).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    // complete, but a line was skipped
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 2: BACKFILL.MALFORMED_LINE');
    const last = result.stdout.trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({
      topic: `${namespace}crm.partner.inbound.v1`,
      linesRead: 2,
      eventsProduced: 0,
      skippedBadLines: 1,
      sessionsWithoutEvents: 1,
      complete: true,
    });
  }, 30_000);
});
