import { simpleQuery } from '@crm/db';
import { type Logger } from '@crm/logging';
import pg from 'pg';
import { type DataSource, type QueryRunner } from 'typeorm';
import { errorMessage } from '../errors';
import { faultPoint } from '../fault';
import { type BackboneMetrics } from '../metrics';
import { type Transport } from '../transport/transport';
import { OUTBOX_CHANNEL, OUTBOX_TABLE } from './migrations';

export interface RelayOptions {
  /** rows claimed per transaction */
  batchSize?: number;
  /** polling fallback when no NOTIFY arrives (lost listener, rows blocked behind another relay) */
  pollIntervalMs?: number;
  /** wait after a failed publish before trying again */
  errorBackoffMs?: number;
  /** sent rows older than this are deleted */
  keepSentMs?: number;
  /** non-durable transport only: rows sent within this window are published again at start */
  replayOnStartMs?: number;
}

export interface OutboxStats {
  pending: number;
  oldestAgeSeconds: number;
}

interface ClaimedRow {
  seq: string;
  topic: string;
  message_key: string;
  event_id: string;
  event_type: string;
  payload: string;
  /** written with the event (the producer's trace context); pg parses the jsonb */
  headers: Record<string, string> | null;
  /** an older unsent row of its key is held by another relay: left for a later claim */
  held: boolean;
}

// Claims the oldest unsent rows that no other relay holds. A row is left for later when an
// older unsent row of the same key is not in this claim (another relay holds it): publishing
// it now could overtake that row in the partition. Rows are never selected by a sequence
// high-water mark, so a row whose transaction commits late is still found. The blockers are
// looked for below the claim's highest seq only, so the check costs O(claim), not O(backlog).
// Every claimed row is returned, the ones left for later marked `held`, so that the relay tells
// a full claim (more rows are probably waiting) from a partial one. `acked`: rows this relay
// already had acknowledged by the broker and is still marking sent; they are in the partitions
// already, so they block nothing.
/** The claim, its values inlined (see drainOnce): a row count and seqs, both digits only. */
const claimSql = (limit: number, acked: readonly string[]): string => `
  with claimed as (
    select seq from ${OUTBOX_TABLE}
    where sent_at is null
    order by seq
    limit ${limit}
    for update skip locked
  ),
  blockers as (
    select e.message_key, min(e.seq) as first_seq
    from ${OUTBOX_TABLE} e
    where e.sent_at is null
      and e.seq < (select max(seq) from claimed)
      and e.seq not in (select seq from claimed)
      and e.seq <> all('{${acked.join(',')}}'::bigint[])
    group by e.message_key
  )
  select o.seq::text as seq, o.topic, o.message_key, o.event_id, o.event_type, o.payload::text as payload, o.headers,
    coalesce(b.first_seq < o.seq, false) as held
  from ${OUTBOX_TABLE} o
  join claimed c on c.seq = o.seq
  left join blockers b on b.message_key = o.message_key
  order by o.seq`;

export class OutboxRelay {
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private woken = false;
  private listener: pg.Client | undefined;
  private lastPurge = 0;
  private lastStats = 0;
  lastError: string | undefined;
  /** the previous batch's mark-sent, still running */
  private finishing: Promise<void> = Promise.resolve();
  /** seqs acknowledged by the broker whose mark-sent has not committed yet */
  private readonly acked = new Set<string>();
  published = 0;
  private readonly opts: Required<RelayOptions>;

  constructor(
    private readonly service: string,
    private readonly dataSource: DataSource,
    private readonly transport: Transport,
    private readonly logger: Logger,
    private readonly metrics: BackboneMetrics,
    options: RelayOptions = {},
  ) {
    this.opts = {
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      errorBackoffMs: options.errorBackoffMs ?? 1000,
      keepSentMs: options.keepSentMs ?? 7 * 24 * 3600 * 1000,
      replayOnStartMs: options.replayOnStartMs ?? 24 * 3600 * 1000,
    };
    // inlined into the claim's SQL
    if (!Number.isSafeInteger(this.opts.batchSize) || this.opts.batchSize < 1)
      throw new Error(`outbox relay: batchSize must be a positive integer, not ${this.opts.batchSize}`);
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (!this.transport.durable && this.opts.replayOnStartMs > 0) {
      // the in-process bus forgot everything at the last exit: publish recent rows again,
      // idempotent consumers skip what they already applied
      await this.dataSource.query(
        `update ${OUTBOX_TABLE} set sent_at = null where sent_at > clock_timestamp() - ($1 || ' milliseconds')::interval`,
        [String(this.opts.replayOnStartMs)],
      );
    }
    await this.listen().catch((err) =>
      this.logger.warn({ err: errorMessage(err) }, 'outbox relay: LISTEN failed, polling only'),
    );
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await this.finishing;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /**
   * One claim and publish; returns the rows claimed (published, or held for later behind
   * another relay's older row of the same key) and how many were published. Marking them sent
   * (update and commit) runs in the background while the next batch is claimed and sent, so the
   * database round trips overlap the broker's; at most one such commit is outstanding.
   */
  async drainOnce(): Promise<{ claimed: number; published: number }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let sending: ClaimedRow[] = [];
    let handedOff = false;
    try {
      // The transaction is driven by hand so that statements share round trips (this sits on
      // the commit-to-handler latency path). Right after a burst the statistics still say "few
      // unsent rows" and the planner sorts the whole backlog through a bitmap scan, while the
      // partial index yields rows in seq order. Losing the mark-sent in a crash only means
      // publishing again, which consumers absorb, so the commit need not wait for the WAL flush.
      // The begin, the settings and the claim travel in one message (its values inlined: the
      // batch size, a checked integer, and seqs the database gave as digits), the mark-sent and
      // the commit in another: two round trips per batch.
      const rows = await simpleQuery<ClaimedRow>(
        runner,
        `begin; set local enable_bitmapscan = off; set local synchronous_commit = off;
         ${claimSql(this.opts.batchSize, [...this.acked])}`,
      );
      sending = rows.filter((r) => !r.held);
      if (!sending.length) {
        await runner.query('commit');
        await this.finishing;
        return { claimed: rows.length, published: 0 };
      }
      await this.transport.send(
        sending.map((r) => ({
          topic: r.topic,
          key: r.message_key,
          value: r.payload,
          headers: { ...r.headers, 'event-id': r.event_id, 'event-type': r.event_type },
        })),
      );
      faultPoint('after-kafka-ack');
      // seq values come from the database as digit strings (bigint::text): safe to inline, and
      // inlining lets the update and the commit travel together
      const seqs = sending.map((r) => r.seq);
      if (!seqs.every((q) => /^\d+$/.test(q))) throw new Error('outbox relay: unexpected seq value');
      for (const q of seqs) this.acked.add(q);
      const previous = this.finishing;
      handedOff = true;
      this.finishing = this.markSent(runner, seqs);
      await previous;
      return { claimed: rows.length, published: sending.length };
    } catch (err) {
      if (handedOff) throw err;
      await runner.query('rollback').catch(() => undefined);
      await this.recordFailure(
        sending.map((r) => r.seq),
        err,
      );
      throw err;
    } finally {
      if (!handedOff) await runner.release();
    }
  }

  private async markSent(runner: QueryRunner, seqs: string[]): Promise<void> {
    try {
      await runner.query(
        `update ${OUTBOX_TABLE} set sent_at = clock_timestamp(), attempts = attempts + 1, last_error = null
         where seq = any('{${seqs.join(',')}}'::bigint[]); commit`,
      );
      this.published += seqs.length;
      this.metrics.relayPublished.inc({ service: this.service }, seqs.length);
      this.lastError = undefined;
    } catch (err) {
      // the rows stay unsent and are published again later (consumers absorb the copies)
      await runner.query('rollback').catch(() => undefined);
      await this.recordFailure(seqs, err);
      this.logger.warn({ err: errorMessage(err) }, 'outbox relay: marking rows sent failed');
    } finally {
      for (const q of seqs) this.acked.delete(q);
      await runner.release();
    }
  }

  private async recordFailure(seqs: string[], err: unknown): Promise<void> {
    this.lastError = errorMessage(err);
    if (!seqs.length) return;
    await this.dataSource
      .query(
        `update ${OUTBOX_TABLE} set attempts = attempts + 1, last_error = $2 where seq = any($1::bigint[])`,
        [seqs, this.lastError.slice(0, 1000)],
      )
      .catch(() => undefined);
  }

  async stats(): Promise<OutboxStats> {
    const rows = await this.dataSource.query<{ pending: number; oldest: number }[]>(
      `select count(*)::int as pending,
              coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)::float8 as oldest
       from ${OUTBOX_TABLE} where sent_at is null`,
    );
    const stats = { pending: rows[0]?.pending ?? 0, oldestAgeSeconds: rows[0]?.oldest ?? 0 };
    this.metrics.outboxPending.set({ service: this.service }, stats.pending);
    this.metrics.outboxOldestAge.set({ service: this.service }, stats.oldestAgeSeconds);
    return stats;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      await this.housekeeping();
      let drained = { claimed: 0, published: 0 };
      try {
        drained = await this.drainOnce();
      } catch (err) {
        this.logger.warn({ err: errorMessage(err) }, 'outbox relay: publish failed, will retry');
        await this.sleep(this.opts.errorBackoffMs);
        continue;
      }
      // A full claim that published means more rows are probably waiting: claim again at once.
      // After a partial one, wait for the next commit's NOTIFY (one that came while draining ends
      // the wait at once) or the poll: claiming again straight away found nothing in the common
      // case and cost every commit a second, empty claim transaction (three more round trips).
      // A full claim held entirely behind another relay waits too, or it would spin.
      if (drained.claimed >= this.opts.batchSize && drained.published > 0) continue;
      await this.sleep(this.opts.pollIntervalMs);
    }
  }

  private async housekeeping(): Promise<void> {
    const now = Date.now();
    if (now - this.lastStats > 5000) {
      this.lastStats = now;
      await this.stats().catch(() => undefined);
    }
    if (now - this.lastPurge > 60_000) {
      this.lastPurge = now;
      await this.dataSource
        .query(
          `delete from ${OUTBOX_TABLE} where seq in (select seq from ${OUTBOX_TABLE}
           where sent_at < clock_timestamp() - ($1 || ' milliseconds')::interval limit 10000)`,
          [String(this.opts.keepSentMs)],
        )
        .catch(() => undefined);
      if (!this.listener && this.running) await this.listen().catch(() => undefined);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // a stale waker must never swallow a notification that arrives while draining
      const finish = () => {
        clearTimeout(timer);
        if (this.wake === finish) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
    });
  }

  private notified = (): void => {
    if (this.wake) this.wake();
    else this.woken = true;
  };

  private async listen(): Promise<void> {
    const options = this.dataSource.options as {
      url?: string;
      host?: string;
      port?: number;
      username?: string;
      password?: string;
      database?: string;
    };
    const client = new pg.Client(
      options.url
        ? { connectionString: options.url, application_name: `${this.service}-outbox-listener` }
        : {
            host: options.host,
            port: options.port,
            user: options.username,
            password: options.password,
            database: options.database,
            application_name: `${this.service}-outbox-listener`,
          },
    );
    const lost = () => {
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', this.notified);
    await client.connect();
    await client.query(`listen ${OUTBOX_CHANNEL}`);
    this.listener = client;
  }
}
