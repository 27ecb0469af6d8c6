// The stall timer (seed « Délai > 5 jours → Escalade ») against real PostgreSQL: a claim
// without progress for more than 5 days escalates on the next tick, once, with its journal
// entry; the state is the database, so a restart or a second instance fires nothing twice.
import { Writable } from 'node:stream';
import { openDatabase } from '@crm/db';
import { MemoryTransport } from '@crm/events';
import { createLogger } from '@crm/logging';
import { startService, type RunningService } from '@crm/subgraph';
import { perFile, TEST_INTERNAL_KEYS, waitFor } from '@crm/testing';
import type { ClaimsParts } from '../context';
import { envSchema } from '../env';
import { claimsService, type ClaimsServiceSettings } from '../service';
import { startClaims, type Harness } from '../../test/harness';
import { graphql } from '../../test/generated';

const DAY_MS = 86_400_000;
const CHANGE = `mutation ($input: ChangeClaimStatusInput!) { changeClaimStatus(input: $input) { id status } }`;
const DELAY_REASON = 'Aucune progression du dossier depuis plus de 5 jours';

const open = (on: Harness, overrides: Record<string, unknown> = {}) => on.open(overrides);

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** The claim's last progress, `days` ago (what 5 real days without activity leave behind). */
const stall = (query: Query, id: string, days: number) =>
  query(`update sinistres set date_modification = $2 where id = $1`, [
    id,
    new Date(Date.now() - days * DAY_MS),
  ]);

const statusOf = async (h: { sql: Harness['sql'] }, id: string) =>
  (await h.sql<{ s: string }>(`select status_dossier as s from sinistres where id = $1`, [id]))[0]!.s;

/** A second instance of the service on the same database (what a restart or a scale-out is). */
async function startSecond(
  databaseUrl: string,
  settings: ClaimsServiceSettings,
): Promise<RunningService<ClaimsParts>> {
  const env = envSchema.parse({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    INTERNAL_TOKEN_PUBLIC_KEY: TEST_INTERNAL_KEYS.publicKey,
  });
  return startService(claimsService(settings), {
    env,
    transport: new MemoryTransport(),
    relay: false,
    logger: createLogger({
      service: 'claims',
      level: 'error',
      destination: new Writable({ write: (_c, _e, cb) => cb() }),
    }),
  });
}

interface Counts {
  requested: number;
  statusChanges: number;
  journal: number;
}

async function countsOf(query: Query, claimId: string): Promise<Counts> {
  const rows = (await query(
    `select
       (select count(*)::int from event_outbox
         where message_key = $1 and event_type = 'ClaimEscalationRequested') as requested,
       (select count(*)::int from event_outbox
         where message_key = $1 and event_type = 'ClaimStatusChanged') as "statusChanges",
       (select count(*)::int from case_events
         where type = 'DELAY_EXCEEDED' and source = 'claims' and source_id = $1 || ':DELAY_EXCEEDED') as journal`,
    [claimId],
  )) as Counts[];
  return rows[0]!;
}

describe('stall timer (« Délai > 5 jours → Escalade »)', () => {
  const h = perFile(() =>
    startClaims('claims_stall', { settings: { stallCheckMs: 100, autoRouting: false } }),
  );

  it('escalates a claim without progress for 6 days on the next tick, once, and journals it', async () => {
    const stalled = await open(h);
    expect(stalled.status).toBe('NEW');
    expect(
      (await h.gql(CHANGE, { input: { id: stalled.id, status: 'IN_PROGRESS' } })).errors,
    ).toBeUndefined();
    const recent = await open(h);
    const fourDays = await open(h);
    const closed = await open(h);
    await h.gql(CHANGE, { input: { id: closed.id, status: 'IN_PROGRESS' } });
    await h.gql(CHANGE, { input: { id: closed.id, status: 'CLOSED' } });
    const archived = await open(h);
    await h.gql(`mutation ($id: ID!) { archiveClaim(id: $id) { id } }`, { id: archived.id });
    const query: Query = (sql, params) => h.sql(sql, params);
    await stall(query, fourDays.id, 4);
    await stall(query, closed.id, 10);
    await stall(query, archived.id, 10);
    await stall(query, stalled.id, 6);

    await waitFor(
      'the stalled claim to escalate',
      async () => (await statusOf(h, stalled.id)) === 'escalade',
      {
        timeoutMs: 5_000,
      },
    );
    // six more days without progress, a few more ticks: the trigger fired, it does not fire twice
    await stall(query, stalled.id, 6);
    await new Promise((r) => setTimeout(r, 400));

    expect(await countsOf(query, stalled.id)).toEqual({ requested: 1, statusChanges: 2, journal: 1 });
    const events = (await h.outbox()).filter((e) => e.message_key === stalled.id);
    const requested = events.find((e) => e.event_type === 'ClaimEscalationRequested')!.payload;
    expect(requested).toMatchObject({
      actor: { kind: 'system', id: 'claims.triggers' },
      data: {
        claimId: stalled.id,
        previousStatus: 'IN_PROGRESS',
        injuries: false,
        triggers: [{ code: 'DELAY_EXCEEDED', reason: DELAY_REASON }],
      },
    });
    const changed = events.filter((e) => e.event_type === 'ClaimStatusChanged').at(-1)!.payload;
    expect(changed).toMatchObject({
      data: { from: 'IN_PROGRESS', to: 'ESCALATED', reason: `Escalade automatique : ${DELAY_REASON}` },
    });

    // the claim and its case's journal, read through the graph
    const res = await h.gql(
      graphql(`
        query StalledClaimAndCase($id: ID!, $case: ID!) {
          claim(id: $id) {
            status
            handling
            triggers {
              code
              kind
              reason
            }
          }
          case(id: $case) {
            status
            events {
              edges {
                node {
                  type
                  source
                  payload
                }
              }
            }
          }
        }
      `),
      { id: stalled.id, case: stalled.case!.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.claim).toMatchObject({ status: 'ESCALATED', handling: 'ESCALATED' });
    expect(res.data!.claim!.triggers).toEqual([
      { code: 'DELAY_EXCEEDED', kind: 'ESCALATION', reason: DELAY_REASON },
    ]);
    const journal = res.data!.case!.events.edges.map((e) => e.node);
    expect(journal.map((e) => e.type)).toEqual(['CLAIM_OPENED', 'DELAY_EXCEEDED']);
    expect(journal[1]).toMatchObject({
      source: 'claims',
      payload: {
        claimId: stalled.id,
        reason: DELAY_REASON,
        previousStatus: 'IN_PROGRESS',
        status: 'ESCALATED',
        escalated: true,
        actor: { kind: 'system', id: 'claims.triggers' },
      },
    });
    // a stall is not activity: the case's projection stays
    expect(res.data!.case!.status).toBe('CLAIM_OPENED');

    // recent progress, exactly 4 days, closed and archived claims: nothing
    for (const other of [recent, fourDays, closed, archived]) {
      expect(await countsOf(query, other.id)).toMatchObject({ requested: 0, journal: 0 });
      const triggers = await h.sql<{ t: unknown[] }>(
        `select declencheurs as t from sinistres where id = $1`,
        [other.id],
      );
      expect(triggers[0]!.t).toEqual([]);
    }
    expect(await statusOf(h, recent.id)).toBe('nouveau');
    expect(await statusOf(h, fourDays.id)).toBe('nouveau');
  });

  it('records the delay once on a claim already ESCALATED, without a second escalation', async () => {
    const injured = await open(h, { injuries: true });
    expect(injured.status).toBe('ESCALATED');
    const query: Query = (sql, params) => h.sql(sql, params);
    await stall(query, injured.id, 6);
    await waitFor('the delay to be recorded', async () => (await countsOf(query, injured.id)).journal === 1, {
      timeoutMs: 5_000,
    });
    await new Promise((r) => setTimeout(r, 300));
    // the opening's escalation only
    expect(await countsOf(query, injured.id)).toEqual({ requested: 1, statusChanges: 1, journal: 1 });
    const rows = await h.sql<{ t: { code: string }[]; m: Date }>(
      `select declencheurs as t, date_modification as m from sinistres where id = $1`,
      [injured.id],
    );
    expect(rows[0]!.t.map((t) => t.code)).toEqual(['INJURIES', 'DELAY_EXCEEDED']);
    // recording the alert is not progress, yet the claim is not taken again
    expect(rows[0]!.m.getTime()).toBeLessThan(Date.now() - 5 * DAY_MS);
    expect((await h.service.parts.service.escalateStalled()).fired).not.toContain(injured.id);
  });
});

describe('stall timer with a claim it cannot process', () => {
  it('leaves that claim as it was and escalates the others of the batch', async () => {
    const h = await startClaims('claims_stall_poison', {
      settings: { stallCheckMs: 3_600_000, autoRouting: false },
    });
    try {
      const bad = await open(h);
      const good = await open(h);
      // longer than ClaimEscalationRequested allows (40): its event is refused by the outbox
      await h.sql(`update sinistres set numero_sinistre = $2 where id = $1`, [
        bad.id,
        `SIN-${'9'.repeat(41)}`,
      ]);
      const query: Query = (sql, params) => h.sql(sql, params);
      await stall(query, bad.id, 7);
      await stall(query, good.id, 6);

      const check = await h.service.parts.service.escalateStalled();
      expect(check).toEqual({ fired: [good.id], escalated: [good.id], failed: [bad.id] });
      expect(await countsOf(query, good.id)).toEqual({ requested: 1, statusChanges: 1, journal: 1 });
      expect(await countsOf(query, bad.id)).toEqual({ requested: 0, statusChanges: 0, journal: 0 });
      const rows = await h.sql<{ s: string; t: unknown[] }>(
        `select status_dossier as s, declencheurs as t from sinistres where id = $1`,
        [bad.id],
      );
      expect(rows[0]).toEqual({ s: 'nouveau', t: [] });
    } finally {
      await h.stop();
    }
  });
});

describe('stall timer across a restart', () => {
  it('fires what stalled while the service was down, and nothing twice', async () => {
    const a = await startClaims('claims_stall_restart', {
      settings: { stallCheckMs: 100, autoRouting: false },
    });
    let b: RunningService | undefined;
    try {
      const before = await open(a);
      const whileDown = await open(a);
      await stall((sql, params) => a.sql(sql, params), before.id, 6);
      await waitFor(
        'the first claim to escalate',
        async () => (await statusOf(a, before.id)) === 'escalade',
        {
          timeoutMs: 5_000,
        },
      );
      await a.service.stop();

      // five days pass while no instance runs
      const ds = await openDatabase({ url: a.db.url, applicationName: 'claims-stall-test' });
      try {
        await stall((sql, params) => ds.query(sql, params as unknown[]), whileDown.id, 6);
        // the escalated one stays untouched for 6 more days too: its trigger already fired
        await stall((sql, params) => ds.query(sql, params as unknown[]), before.id, 6);
      } finally {
        await ds.destroy();
      }

      b = await startSecond(a.db.url, { stallCheckMs: 100 });
      const query: Query = (sql, params) => b!.runtime.dataSource.query(sql, params as unknown[]);
      await waitFor(
        'the claim stalled while down to escalate',
        async () => (await countsOf(query, whileDown.id)).requested === 1,
        { timeoutMs: 5_000 },
      );
      await new Promise((r) => setTimeout(r, 400));
      expect(await countsOf(query, before.id)).toEqual({ requested: 1, statusChanges: 1, journal: 1 });
      expect(await countsOf(query, whileDown.id)).toEqual({ requested: 1, statusChanges: 1, journal: 1 });
    } finally {
      await b?.stop();
      await a.db.drop();
    }
  });
});

describe('stall timer with two instances', () => {
  it('fires each stalled claim once when pollers run at the same time (SKIP LOCKED)', async () => {
    // the timers tick at start (nothing yet), then not within the test: the checks below are the pollers
    const a = await startClaims('claims_stall_pair', {
      settings: { stallCheckMs: 3_600_000, autoRouting: false },
    });
    const b = await startSecond(a.db.url, { stallCheckMs: 3_600_000 });
    try {
      const claims: { id: string }[] = [];
      for (let i = 0; i < 24; i++) claims.push(await open(a));
      const query: Query = (sql, params) => a.sql(sql, params);
      await query(`update sinistres set date_modification = $1`, [new Date(Date.now() - 6 * DAY_MS)]);

      const pollers = [a.service.parts.service, a.service.parts.service, b.parts.service, b.parts.service];
      const checks = await Promise.all(pollers.map((p) => p.escalateStalled(3)));
      const fired = checks.flatMap((c) => c.fired);
      expect(checks.flatMap((c) => c.failed)).toEqual([]);
      expect(fired).toHaveLength(24);
      expect(new Set(fired).size).toBe(24);
      expect(checks.flatMap((c) => c.escalated).sort()).toEqual(claims.map((c) => c.id).sort());

      const rows = await a.sql<{ requested: number; journal: number; escalated: number }>(
        `select
           (select count(*)::int from event_outbox where event_type = 'ClaimEscalationRequested') as requested,
           (select count(*)::int from case_events where type = 'DELAY_EXCEEDED') as journal,
           (select count(*)::int from sinistres where status_dossier = 'escalade') as escalated`,
      );
      expect(rows[0]).toEqual({ requested: 24, journal: 24, escalated: 24 });
      // a later check finds nothing left
      expect((await pollers[0]!.escalateStalled(3)).fired).toEqual([]);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
