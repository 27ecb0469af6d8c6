// Query.cases, the CRM dashboard (seed 2, switch view), on a real PostgreSQL database of its
// own: filters, most recently active first, keyset pages without gaps or repeats, counts per
// status. Cases are written as the ingestion leaves them, dated relative to now.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { startClaims } from '../../test/harness';
import { graphql } from '../../test/generated';
import type { CasesFilter } from '../../test/generated/graphql';

const CASES = graphql(`
  query DashboardCases($filter: CasesFilter, $first: Int, $after: String) {
    cases(filter: $filter, first: $first, after: $after) {
      totalCount
      countsByStatus {
        status
        count
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          intent
          siteId
          ownerUid
          lastEventAt
          nextActionAt
        }
      }
    }
  }
`);

const h = perFile(() => startClaims('claims_cases_dashboard'));

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

/** A case as the ingestion leaves it; returns its id. */
async function seedCase(c: {
  status: string;
  intent?: string;
  site?: string;
  owner?: string | null;
  lastEventHoursAgo: number | null;
  createdHoursAgo: number;
  nextActionInHours?: number | null;
}): Promise<string> {
  const id = randomUUID();
  await h.seedCase({
    id,
    leadId: `lead-${id}@example.fr`,
    intent: c.intent ?? 'DTV',
    status: c.status,
    ownerUid: c.owner ?? null,
    siteId: c.site ?? 'siam-visa-pro',
    lastEventAt: c.lastEventHoursAgo === null ? null : ago(c.lastEventHoursAgo),
    nextActionAt: c.nextActionInHours == null ? null : new Date(Date.now() + c.nextActionInHours * HOUR),
    createdAt: ago(c.createdHoursAgo),
  });
  return id;
}

const list = async (filter: CasesFilter | null, first?: number, after?: string | null) => {
  const res = await h.gql(CASES, { filter, first: first ?? null, after: after ?? null });
  expect(res.errors).toBeUndefined();
  return res.data!.cases;
};

describe('Query.cases (the dashboard)', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    ids = {
      audit: await seedCase({ status: 'AUDIT_DONE', lastEventHoursAgo: 1, createdHoursAgo: 50 }),
      call: await seedCase({
        status: 'CALL_REQUESTED',
        owner: 'adv-7',
        lastEventHoursAgo: 3,
        createdHoursAgo: 3,
        nextActionInHours: 1,
      }),
      // never an event: sorted by its creation
      fresh: await seedCase({ status: 'NEW', lastEventHoursAgo: null, createdHoursAgo: 2 }),
      scheduled: await seedCase({
        status: 'CALL_SCHEDULED',
        intent: 'RETIREMENT',
        lastEventHoursAgo: 30,
        createdHoursAgo: 40,
        nextActionInHours: 48,
      }),
      other: await seedCase({
        status: 'CALL_REQUESTED',
        site: 'other-site',
        lastEventHoursAgo: 100,
        createdHoursAgo: 100,
        nextActionInHours: -2,
      }),
    };
  });

  it('lists the most recently active first (last event, else creation), paged without gaps or repeats', async () => {
    const order = [ids.audit, ids.fresh, ids.call, ids.scheduled, ids.other];
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await list(null, 2, after);
      expect(page.totalCount).toBe(5);
      seen.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(order);
  });

  it('filters by status, intent, site, owner and activity, and counts per status without the status filter', async () => {
    const requested = await list({ status: 'CALL_REQUESTED' });
    expect(requested.edges.map((e) => e.node.id)).toEqual([ids.call, ids.other]);
    expect(requested.totalCount).toBe(2);
    expect(requested.countsByStatus).toEqual([
      { status: 'CALL_REQUESTED', count: 2 },
      { status: 'AUDIT_DONE', count: 1 },
      { status: 'CALL_SCHEDULED', count: 1 },
      { status: 'NEW', count: 1 },
    ]);
    expect((await list({ intent: 'RETIREMENT' })).edges.map((e) => e.node.id)).toEqual([ids.scheduled]);
    expect((await list({ siteId: 'other-site' })).edges.map((e) => e.node.id)).toEqual([ids.other]);
    const mine = await list({ ownerUid: 'adv-7' });
    expect(mine.edges.map((e) => e.node.ownerUid)).toEqual(['adv-7']);
    const recent = await list({ updatedSince: ago(5).toISOString() });
    expect(recent.edges.map((e) => e.node.id)).toEqual([ids.audit, ids.fresh, ids.call]);
    expect(recent.countsByStatus.reduce((n, c) => n + c.count, 0)).toBe(3);
  });

  it('« to do today »: the cases whose next action is due before a given instant', async () => {
    const today = await list({ nextActionBefore: new Date(Date.now() + 6 * HOUR).toISOString() });
    // overdue and due within the hour; the one in two days is not today's
    expect(today.edges.map((e) => e.node.id).sort()).toEqual([ids.call, ids.other].sort());
  });

  it('refuses a forged cursor and a page size out of bounds', async () => {
    const bad = await h.gql(CASES, { filter: null, first: 2, after: 'garbage' });
    expect(bad.errors![0]!.extensions.code).toBe('PAGINATION.INVALID_CURSOR');
    const big = await h.gql(CASES, { filter: null, first: 500, after: null });
    expect(big.errors![0]!.extensions.code).toBe('PAGINATION.INVALID_SIZE');
  });
});
