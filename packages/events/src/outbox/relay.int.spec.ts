// How often the outbox relay claims, on the real PostgreSQL: once per commit when the claim was
// partial (it used to claim again at once and find nothing: a second transaction, three more
// round trips, after every commit of every service), again at once after a full claim that
// published (a backlog drains without waiting for the poll), and never in a spin when a full
// claim is held behind another relay's older row of the same key.
import { dropDatabase, openDatabase } from '@crm/db';
import { createLogger } from '@crm/logging';
import { createTestDatabase, randomSuffix, waitFor, type TestDatabase } from '@crm/testing';
import { type DataSource } from 'typeorm';
import { BackboneMetrics } from '../metrics';
import { MemoryTransport } from '../transport/memory.transport';
import { EVENT_BACKBONE_MIGRATIONS, OUTBOX_TABLE } from './migrations';
import { OutboxRelay } from './relay';

jest.setTimeout(60_000);

const logger = createLogger({ service: 'relay-claims', level: 'silent' });
const TOPIC = 'relay-claims';

let db: TestDatabase;
let ds: DataSource;
/** every statement the data source sent */
const statements: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('relay_claims');
  ds = await openDatabase({
    url: db.url,
    applicationName: 'relay-claims',
    migrations: EVENT_BACKBONE_MIGRATIONS,
    onQuery: (sql) => statements.push(sql),
  });
});

afterAll(async () => {
  await ds?.destroy();
  if (db) await dropDatabase(db.url);
});

interface Run {
  relay: OutboxRelay;
  transport: MemoryTransport;
  /** what each claim returned, in order */
  claims: { claimed: number; published: number }[];
  /** values published, in partition then offset order */
  published(): string[];
}

/** A relay on a fresh outbox; the poll is a minute away, so only NOTIFY wakes it in a test. */
async function relayOf(batchSize: number): Promise<Run> {
  await ds.query(`delete from ${OUTBOX_TABLE}`);
  const transport = new MemoryTransport();
  transport.createTopic(TOPIC, 1);
  const relay = new OutboxRelay('relay-claims', ds, transport, logger, new BackboneMetrics(), {
    batchSize,
    pollIntervalMs: 60_000,
  });
  const claims: Run['claims'] = [];
  const drainOnce = relay.drainOnce.bind(relay);
  jest.spyOn(relay, 'drainOnce').mockImplementation(async () => {
    const result = await drainOnce();
    claims.push(result);
    return result;
  });
  return {
    relay,
    transport,
    claims,
    published: () => transport.records(TOPIC).map((r) => r.value!.toString()),
  };
}

/** One transaction (one NOTIFY) writing `values`, each under its key. */
async function commit(rows: { key: string; value: string }[]): Promise<void> {
  await ds.transaction(async (tx) => {
    for (const { key, value } of rows)
      await tx.query(
        `insert into ${OUTBOX_TABLE} (event_id, event_type, topic, message_key, payload, headers)
         values ($1, 'RelayProbe', $2, $3, $4::json, '{}'::jsonb)`,
        [`${value}-${randomSuffix()}`, TOPIC, key, JSON.stringify(value)],
      );
  });
}

const publishedAre = (run: Run, expected: number) =>
  waitFor(`${expected} records published`, () => (run.published().length >= expected ? true : undefined));

/** A claim's result is recorded once its records are sent: wait for both. */
const claimsAre = (run: Run, expected: number) =>
  waitFor(`${expected} claims`, () => (run.claims.length >= expected ? true : undefined));

describe('OutboxRelay claims (real PostgreSQL)', () => {
  let run: Run | undefined;

  afterEach(async () => {
    await run?.relay.stop();
    run = undefined;
  });

  it('claims once per commit when the claim is partial', async () => {
    run = await relayOf(10);
    statements.length = 0;
    await run.relay.start();
    await waitFor('the first claim', () => (run!.claims.length ? true : undefined));
    await commit([{ key: 'a', value: 'one' }]);
    await publishedAre(run, 1);
    await commit([{ key: 'a', value: 'two' }]);
    await publishedAre(run, 2);
    await claimsAre(run, 3);
    expect(run.published()).toEqual(['"one"', '"two"']);
    // the start's empty claim, then one per commit; claiming again after each publish made it 4
    expect(run.claims).toEqual([
      { claimed: 0, published: 0 },
      { claimed: 1, published: 1 },
      { claimed: 1, published: 1 },
    ]);
    // two messages per claim: the begin with the claim, then the mark-sent (or nothing) with the commit
    const claimsSent = statements.filter((sql) => sql.includes('for update skip locked'));
    expect(claimsSent).toHaveLength(3);
    for (const sql of claimsSent) expect(sql).toMatch(/^begin; set local/);
    await waitFor('both marked sent', async () =>
      (await ds.query(`select count(*)::int as n from ${OUTBOX_TABLE} where sent_at is not null`))[0].n === 2
        ? true
        : undefined,
    );
    expect(
      statements.filter((sql) => /update event_outbox set sent_at[\s\S]*; commit$/.test(sql)),
    ).toHaveLength(2);
  });

  it('claims again at once after a full claim, and a backlog drains without the poll', async () => {
    run = await relayOf(2);
    await run.relay.start();
    await waitFor('the first claim', () => (run!.claims.length ? true : undefined));
    const values = ['r1', 'r2', 'r3', 'r4', 'r5'];
    await commit(values.map((value) => ({ key: 'k', value })));
    await publishedAre(run, 5);
    await claimsAre(run, 4);
    expect(run.published()).toEqual(values.map((v) => JSON.stringify(v)));
    expect(run.claims.slice(1, 4)).toEqual([
      { claimed: 2, published: 2 },
      { claimed: 2, published: 2 },
      { claimed: 1, published: 1 },
    ]);
  });

  it('waits, instead of spinning, while a full claim is held behind another relay, then publishes in order', async () => {
    run = await relayOf(2);
    await commit([{ key: 'k', value: 'held-1' }]);
    // another relay's claim: the oldest row of key k, locked as CLAIM_SQL's `for update` does
    const other = ds.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`select seq from ${OUTBOX_TABLE} where message_key = 'k' for update`);
    try {
      await commit([
        { key: 'k', value: 'held-2' },
        { key: 'k', value: 'held-3' },
      ]);
      await run.relay.start();
      await waitFor('a claim held behind the other relay', () =>
        run!.claims.some((c) => c.claimed === 2 && c.published === 0) ? true : undefined,
      );
      const claims = run.claims.length;
      // a relay that claimed again at once would have made hundreds of claims by now
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(run.claims.length).toBe(claims);
      expect(run.published()).toEqual([]);
    } finally {
      // the other relay goes away without publishing
      await other.rollbackTransaction();
      await other.release();
    }
    // the next commit wakes the relay: the whole key is published, in order
    await commit([{ key: 'k', value: 'held-4' }]);
    await publishedAre(run, 4);
    expect(run.published()).toEqual(['"held-1"', '"held-2"', '"held-3"', '"held-4"']);
  });
});
