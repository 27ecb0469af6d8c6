// The claims subgraph over real HTTP and a real PostgreSQL database: every query and
// mutation, validation and not-found codes, pagination, and the outbox written in the same
// transaction as the change (and not written when it fails).
import { perFile } from '@crm/testing';
import { callerOf, callerOfEvent, systemCaller } from '@crm/subgraph';
import { randomUUID } from 'node:crypto';
import { partnerEventId } from '@crm/events';
import { CLAIM_NUMBER_PATTERN } from './claim.rules';
import { parseOpenClaim, parseUpdateClaim } from './claim.inputs';
import {
  ARCHIVE_CLAIM,
  CLAIM,
  declaration,
  OPEN_CLAIM,
  startClaims,
  UPDATE_CLAIM,
  type GqlResult,
} from '../../test/harness';
import { graphql } from '../../test/generated';
import type { ClaimPageQuery, ClaimsFilter } from '../../test/generated/graphql';

const h = perFile(() => startClaims('claims'));

const open = (overrides: Record<string, unknown> = {}) => h.open(overrides);

const eventsOf = async (claimId: string) => (await h.outbox()).filter((e) => e.message_key === claimId);

describe('openClaim', () => {
  it('numbers the claim, records its CCI with the breakdown, publishes ClaimOpened + ClaimScored, and routes it (autonomous: IN_PROGRESS)', async () => {
    const clientId = randomUUID();
    const claim = await open({ clientId });
    expect(claim.claimNumber).toMatch(CLAIM_NUMBER_PATTERN);
    expect(claim.claimNumber.slice(4, 8)).toBe(String(new Date().getUTCFullYear()));
    expect(claim).toMatchObject({
      status: 'IN_PROGRESS',
      type: 'COLLISION',
      estimatedDamage: '2500.00',
      client: { id: clientId },
      contract: { id: '22222222-2222-4222-8222-222222222222' },
      archived: false,
      assignedAdvisor: null,
      cciPolicyVersion: 'cci-v1',
    });
    // docs/cci.md: collision 10 + third party 10 + 1 500-5 000 € 5 = 25, autonomous
    expect(claim.cciScore).toBe(25);
    expect(claim.handling).toBe('AUTONOMOUS');
    expect(claim.cciFactors.map((f) => f.code).sort()).toEqual(
      ['DAMAGE_1500_5000', 'THIRD_PARTY_INVOLVED', 'TYPE_COLLISION'].sort(),
    );
    expect(claim.cciFactors.reduce((s, f) => s + f.points, 0)).toBe(25);
    expect(claim.recommendedActions).toEqual([
      expect.objectContaining({ type: 'SEND_AMICABLE_REPORT', priority: 'NORMAL', status: 'PENDING' }),
    ]);

    const events = await eventsOf(claim.id);
    // opened NEW, then routed in the same transaction by the lifecycle (issue 19)
    expect(events.map((e) => e.event_type)).toEqual(['ClaimOpened', 'ClaimScored', 'ClaimStatusChanged']);
    expect(events[2]!.payload).toMatchObject({
      actor: { kind: 'system', id: 'claims.lifecycle' },
      data: { from: 'NEW', to: 'IN_PROGRESS' },
    });
    expect(events[0]!.payload).toMatchObject({
      source: 'claims',
      subject: claim.id,
      actor: { kind: 'advisor', id: 'adv-1' },
      data: {
        claimId: claim.id,
        claimNumber: claim.claimNumber,
        clientId,
        contractId: '22222222-2222-4222-8222-222222222222',
        claimType: 'COLLISION',
        channel: 'ADVISOR',
        status: 'NEW',
        cciScore: 25,
        handling: 'AUTONOMOUS',
        estimatedDamage: '2500.00',
      },
    });
    expect(events[1]!.payload).toMatchObject({
      data: {
        claimId: claim.id,
        cciScore: 25,
        policyVersion: 'cci-v1',
        handling: 'AUTONOMOUS',
        triggers: [],
      },
    });
  });

  it('scores injuries, counts prior claims of the client and recommends actions from the decision', async () => {
    const clientId = randomUUID();
    await open({ clientId, occurredAt: new Date(Date.now() - 40 * 86_400_000).toISOString() });
    const injured = await open({ clientId, injuries: true, photoUrls: [] });
    const codes = injured.cciFactors.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['INJURIES', 'PRIOR_CLAIMS_1', 'DOCUMENTS_MISSING']));
    expect(injured.handling).toBe('ESCALATED');
    // an escalation trigger moves the claim on at once (claim-triggers.rules.ts)
    expect(injured.status).toBe('ESCALATED');
    expect(injured.recommendedActions.map((a) => a.type)).toContain('CLIENT_INFORMATION');
    const scored = (await eventsOf(injured.id)).find((e) => e.event_type === 'ClaimScored')!;
    expect(scored.payload.data).toMatchObject({
      handling: 'ESCALATED',
      triggers: expect.arrayContaining([expect.objectContaining({ code: 'INJURIES' })]),
    });

    // docs/cci.md: theft 25 + 15 000-50 000 € 25 + no documents 10 = 60, the expert band
    const expert = await open({
      type: 'THEFT',
      thirdPartyInvolved: null,
      thirdPartyName: null,
      amicableReport: null,
      amicableReportNumber: null,
      policeReport: true,
      photoUrls: [],
      estimatedDamage: '18000',
    });
    expect(expert.cciScore).toBe(60);
    expect(expert.handling).toBe('EXPERT');
    expect(expert.recommendedActions.map((a) => a.type)).toContain('EXPERT_APPRAISAL');
  });

  it('counts prior claims by their day, as the bot does: one of the same day counts whatever its hour, a later one does not', async () => {
    const clientId = randomUUID();
    const day = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    await open({ clientId, occurredAt: `${day}T15:00:00.000Z` });
    await open({ clientId, occurredAt: new Date(Date.now() - 20 * 86_400_000).toISOString() });
    // told by the bot as "that day" with no hour: recorded at the day's start, before the first
    // one's hour (it was not counted then, and the bot, counting by day, scored 5 more)
    const told = await open({ clientId, occurredAt: `${day}T00:00:00.000Z` });
    const codes = told.cciFactors.map((f) => f.code);
    expect(codes).toContain('PRIOR_CLAIMS_1');
    expect(codes).not.toContain('PRIOR_CLAIMS_2');
  });

  it('hands out distinct claim numbers to concurrent declarations', async () => {
    const claims = await Promise.all(Array.from({ length: 20 }, () => open()));
    const numbers = claims.map((c) => c.claimNumber);
    expect(new Set(numbers).size).toBe(20);
    numbers.forEach((n) => expect(n).toMatch(CLAIM_NUMBER_PATTERN));
  });

  it('rejects bad input with VALIDATION.FAILED naming every field, and writes nothing', async () => {
    const before = (await h.outbox()).length;
    const res = await h.gql(OPEN_CLAIM, {
      input: declaration({
        clientId: 'not-a-uuid',
        occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
        thirdPartyInvolved: false,
        thirdPartyResponsible: true,
        photoUrls: ['ftp://x'],
        location: 'x'.repeat(300),
      }),
    });
    expect(res.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    const fields = (res.errors![0]!.extensions.details!.problems as { field: string }[]).map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'clientId',
        'occurredAt',
        'thirdPartyResponsible',
        'thirdPartyName',
        'photoUrls.0',
        'location',
      ]),
    );
    expect((await h.outbox()).length).toBe(before);
  });

  it("opens the claim's own case with the opening in its journal when no case is given", async () => {
    const clientId = randomUUID();
    const claim = await open({ clientId });
    expect(claim.case).not.toBeNull();
    const res = await h.gql(
      graphql(`
        query OwnCase($id: ID!) {
          case(id: $id) {
            leadEmail
            intent
            siteId
            status
            lastEventAt
            events {
              totalCount
              edges {
                node {
                  id
                  type
                  source
                  sourceId
                  payload
                }
              }
            }
          }
        }
      `),
      { id: claim.case!.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.case).toMatchObject({
      leadEmail: clientId,
      intent: 'CLAIM',
      siteId: 'crm',
      status: 'CLAIM_OPENED',
    });
    expect(res.data!.case!.lastEventAt).toBe(claim.createdAt);
    expect(res.data!.case!.events.totalCount).toBe(1);
    expect(res.data!.case!.events.edges[0]!.node).toEqual({
      id: partnerEventId('claims', claim.id),
      type: 'CLAIM_OPENED',
      source: 'claims',
      sourceId: claim.id,
      payload: {
        claimId: claim.id,
        claimNumber: claim.claimNumber,
        clientId,
        claimType: 'COLLISION',
        status: 'NEW',
        handling: 'AUTONOMOUS',
        cciScore: 25,
        actor: { kind: 'advisor', id: 'adv-1' },
      },
    });
    const [opened] = await eventsOf(claim.id);
    expect(opened!.payload).toMatchObject({ data: { caseId: claim.case!.id } });
  });

  it('refuses an unknown case with CASE.NOT_FOUND and links a known one', async () => {
    const missing = await h.gql(OPEN_CLAIM, { input: declaration({ caseId: 'no-such-case' }) });
    expect(missing.errors![0]!.extensions.code).toBe('CASE.NOT_FOUND');
    await h.seedCase({
      id: 'case-open-1',
      leadId: 'a@b.fr',
      intent: 'SINISTRE',
      status: 'NEW',
      siteId: 'web',
    });
    const linked = await open({ caseId: 'case-open-1' });
    expect(linked.case).toEqual({ id: 'case-open-1' });
    // the opening joins that case's timeline, and no second case is made
    const journal = await h.sql<{ case_id: string; type: string }>(
      `select case_id, type from case_events where source = 'claims' and source_id = $1`,
      [linked.id],
    );
    expect(journal).toEqual([{ case_id: 'case-open-1', type: 'CLAIM_OPENED' }]);
  });

  it('writes no claim when the outbox write fails (one transaction)', async () => {
    const ds = h.service.runtime.dataSource;
    const count = async (table: string) =>
      (await ds.query<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0]!.n;
    const before = { claims: await count('sinistres'), actions: await count('actions_recommandees') };
    // the second event of the transaction fails: the claim and its actions must go with it
    await ds.query(
      `alter table event_outbox add constraint fail_claims check (event_type <> 'ClaimScored') not valid`,
    );
    try {
      const res = await h.gql(OPEN_CLAIM, { input: declaration() });
      expect(res.errors![0]!.extensions.code).toBe('INTERNAL');
    } finally {
      await ds.query(`alter table event_outbox drop constraint fail_claims`);
    }
    expect({ claims: await count('sinistres'), actions: await count('actions_recommandees') }).toEqual(
      before,
    );
  });
});

describe('claim, claimByNumber', () => {
  it('read a claim by id and by number, with stable not-found codes', async () => {
    const claim = await open();
    const byId = await h.gql(CLAIM, { id: claim.id });
    expect(byId.data!.claim).toEqual(claim);
    const byNumber = await h.gql(
      graphql(`
        query ClaimIdByNumber($n: String!) {
          claimByNumber(claimNumber: $n) {
            id
          }
        }
      `),
      { n: claim.claimNumber },
    );
    expect(byNumber.data!.claimByNumber!.id).toBe(claim.id);

    const missing = await h.gql(`{ claim(id: "${randomUUID()}") { id } }`);
    expect(missing.errors![0]!.extensions.code).toBe('CLAIM.NOT_FOUND');
    const badId = await h.gql(`{ claim(id: "nope") { id } }`);
    expect(badId.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    const missingNumber = await h.gql(`{ claimByNumber(claimNumber: "SIN-1999-000001") { id } }`);
    expect(missingNumber.errors![0]!.extensions.code).toBe('CLAIM.NOT_FOUND');
  });
});

describe('updateClaim', () => {
  it('applies a change only to the version the caller read: expectedUpdatedAt, WRITE.STALE otherwise', async () => {
    const claim = await open();
    const first = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, location: 'Lyon 3e', expectedUpdatedAt: claim.updatedAt },
    });
    expect(first.errors).toBeUndefined();
    const moved = first.data!.updateClaim;
    expect(moved.location).toBe('Lyon 3e');

    // a second writer who read the declaration as it was: refused, nothing written, no event
    const before = await eventsOf(claim.id);
    const stale = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, location: 'Bron', expectedUpdatedAt: claim.updatedAt },
    });
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'WRITE.STALE',
      details: { id: claim.id, updatedAt: moved.updatedAt },
    });
    const [kept] = await h.service.parts.claims.findByIds([claim.id]);
    expect(kept!.location).toBe('Lyon 3e');
    expect(await eventsOf(claim.id)).toHaveLength(before.length);
  });

  it("records a day without its hour at the day's start, and an instant given later as a known hour", async () => {
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    // an advisor who knows the day only: whatever instant came with it, the day's start
    const told = await open({ occurredAt: `${day}T16:45:00.000Z`, occurredTimeKnown: false });
    expect(told).toMatchObject({ occurredAt: `${day}T00:00:00.000Z`, occurredTimeKnown: false });
    expect((await open({ occurredAt: `${day}T16:45:00.000Z` })).occurredTimeKnown).toBe(true);

    // the hour learnt later: a new instant is a known hour
    const hour = `${day}T07:30:00.000Z`;
    const learnt = await h.gql(UPDATE_CLAIM, { input: { id: told.id, occurredAt: hour } });
    expect(learnt.errors).toBeUndefined();
    expect(learnt.data!.updateClaim).toMatchObject({ occurredAt: hour, occurredTimeKnown: true });
    // and said unknown again alone: the recorded day, at its start
    const unsure = await h.gql(UPDATE_CLAIM, { input: { id: told.id, occurredTimeKnown: false } });
    expect(unsure.data!.updateClaim).toMatchObject({
      occurredAt: `${day}T00:00:00.000Z`,
      occurredTimeKnown: false,
    });
    const updated = (await eventsOf(told.id)).filter((e) => e.event_type === 'ClaimUpdated');
    expect(updated.map((e) => (e.payload.data as { changedFields: string[] }).changedFields)).toEqual([
      ['occurredAt', 'occurredTimeKnown'],
      ['occurredAt', 'occurredTimeKnown'],
    ]);
  });

  it('changes only the given fields, keeps the status, maintains date_modification and publishes ClaimUpdated', async () => {
    const claim = await open();
    const res = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, location: 'Villeurbanne', description: null, estimatedDamage: '2500.00' },
    });
    expect(res.errors).toBeUndefined();
    const updated = res.data!.updateClaim;
    expect(updated).toMatchObject({
      location: 'Villeurbanne',
      description: null,
      status: 'IN_PROGRESS',
      thirdPartyName: 'M. Martin',
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(claim.updatedAt));
    expect(updated.createdAt).toBe(claim.createdAt);
    const events = await eventsOf(claim.id);
    // the same amount written differently is not a change; the score did not move
    expect(events.map((e) => e.event_type)).toEqual([
      'ClaimOpened',
      'ClaimScored',
      'ClaimStatusChanged',
      'ClaimUpdated',
    ]);
    expect(events[3]!.payload.data).toEqual({
      claimId: claim.id,
      clientId: claim.client && claim.client.id,
      changedFields: ['description', 'location'],
    });
  });

  it('rescores when scored facts change and publishes ClaimScored', async () => {
    const claim = await open();
    const res = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, thirdPartyResponsible: true, estimatedDamage: '6000' },
    });
    const updated = res.data!.updateClaim;
    expect(updated.cciScore).toBe(10 + 10 + 10 + 15);
    // a responsible third party is an escalation trigger, whenever it is declared
    expect(updated).toMatchObject({ handling: 'ESCALATED', status: 'ESCALATED' });
    const scored = (await eventsOf(claim.id)).filter((e) => e.event_type === 'ClaimScored');
    expect(scored).toHaveLength(2);
    expect(scored[1]!.payload.data).toMatchObject({ cciScore: 45, handling: 'ESCALATED' });

    // a further correction while the escalation is open publishes no second escalation
    const again = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, injuries: true },
    });
    expect(again.errors).toBeUndefined();
    const events = (await eventsOf(claim.id)).map((e) => e.event_type);
    expect(events.filter((t) => t === 'ClaimEscalationRequested')).toHaveLength(1);
    // the routing at opening, then the escalation
    expect(events.filter((t) => t === 'ClaimStatusChanged')).toHaveLength(2);
  });

  it('publishes nothing and changes nothing when nothing changes', async () => {
    const claim = await open();
    const res = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, location: 'Lyon' },
    });
    expect(res.data!.updateClaim.updatedAt).toBe(claim.updatedAt);
    expect((await eventsOf(claim.id)).length).toBe(3);
  });

  it('rejects unknown and archived claims and invalid input with stable codes', async () => {
    const unknown = await h.gql(UPDATE_CLAIM, { input: { id: randomUUID(), location: 'x' } });
    expect(unknown.errors![0]!.extensions.code).toBe('CLAIM.NOT_FOUND');
    const invalid = await h.gql(UPDATE_CLAIM, {
      input: { id: randomUUID(), type: null, policeReport: false, policeReportNumber: 'PV-1' },
    });
    expect(invalid.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    expect(
      (invalid.errors![0]!.extensions.details!.problems as { field: string }[]).map((p) => p.field).sort(),
    ).toEqual(['policeReportNumber', 'type']);
    const claim = await open();
    await h.gql(`mutation { archiveClaim(id: "${claim.id}") { id } }`);
    const archived = await h.gql(UPDATE_CLAIM, { input: { id: claim.id, location: 'x' } });
    expect(archived.errors![0]!.extensions.code).toBe('CLAIM.ARCHIVED');
  });
});

describe('archiveClaim and claims(filter)', () => {
  it('archives once (idempotent), hides archived claims unless asked, and filters by client, status and CCI', async () => {
    const clientId = randomUUID();
    const low = await open({ clientId });
    const high = await open({ clientId, type: 'FIRE', injuries: true, estimatedDamage: '60000' });
    const gone = await open({ clientId });
    const first = await h.gql(ARCHIVE_CLAIM, { id: gone.id });
    expect(first.data!.archiveClaim.archived).toBe(true);
    const again = await h.gql(ARCHIVE_CLAIM, { id: gone.id });
    expect(again.data!.archiveClaim.archivedAt).toBe(first.data!.archiveClaim.archivedAt);
    expect((await eventsOf(gone.id)).map((e) => e.event_type)).toEqual([
      'ClaimOpened',
      'ClaimScored',
      'ClaimStatusChanged',
      'ClaimArchived',
    ]);
    const missing = await h.gql(`mutation { archiveClaim(id: "${randomUUID()}") { id } }`);
    expect(missing.errors![0]!.extensions.code).toBe('CLAIM.NOT_FOUND');

    const list = async (filter: ClaimsFilter) => {
      const res = await h.gql(
        graphql(`
          query FilteredClaimIds($f: ClaimsFilter) {
            claims(filter: $f) {
              totalCount
              edges {
                node {
                  id
                }
              }
            }
          }
        `),
        { f: filter },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.claims;
    };
    const visible = await list({ clientId });
    expect(visible.edges.map((e) => e.node.id)).toEqual([high.id, low.id]);
    expect(visible.totalCount).toBe(2);
    expect((await list({ clientId, includeArchived: true })).edges.map((e) => e.node.id)).toEqual([
      gone.id,
      high.id,
      low.id,
    ]);
    expect((await list({ clientId, cciMin: 60, cciMax: 100 })).edges.map((e) => e.node.id)).toEqual([
      high.id,
    ]);
    expect((await list({ clientId, cciMax: 30 })).edges.map((e) => e.node.id)).toEqual([low.id]);
    // low was routed IN_PROGRESS; high (injuries) was escalated on opening; gone is archived
    expect((await list({ clientId, status: 'IN_PROGRESS' })).totalCount).toBe(1);
    expect((await list({ clientId, status: 'NEW' })).totalCount).toBe(0);
    expect((await list({ clientId, status: 'ESCALATED' })).edges.map((e) => e.node.id)).toEqual([high.id]);
    expect((await list({ clientId, status: 'CLOSED' })).totalCount).toBe(0);

    const bad = await h.gql(`{ claims(filter: { cciMin: 80, cciMax: 20 }) { totalCount } }`);
    expect(bad.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
  });

  it('pages with keyset cursors, newest first, without gaps or repeats', async () => {
    const clientId = randomUUID();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await open({ clientId })).id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      // typed from the document: `after` comes from the previous page, so TS needs it spelled out
      const res: GqlResult<ClaimPageQuery> = await h.gql(
        graphql(`
          query ClaimPage($f: ClaimsFilter, $after: String) {
            claims(filter: $f, first: 3, after: $after) {
              edges {
                node {
                  id
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `),
        { f: { clientId }, after },
      );
      const page = res.data!.claims;
      seen.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());

    const badCursor = await h.gql(`{ claims(after: "garbage") { totalCount } }`);
    expect(badCursor.errors![0]!.extensions.code).toBe('PAGINATION.INVALID_CURSOR');
    const badSize = await h.gql(`{ claims(first: 500) { totalCount } }`);
    expect(badSize.errors![0]!.extensions.code).toBe('PAGINATION.INVALID_SIZE');
  });
});

describe('openClaim from an event consumer (the hook of issue 7)', () => {
  it('uses the id the bot reserved, the contract facts it knows, and the causation of the event', async () => {
    const service = h.service.parts.service;
    const id = randomUUID();
    const causationId = randomUUID();
    const claim = await service.openClaim(
      parseOpenClaim(declaration({ occurredAt: new Date(Date.now() - 3_600_000) }), new Date()),
      callerOfEvent(
        'claims.intake',
        { id: causationId, correlationId: 'corr-1' },
        { kind: 'bot', id: 'conversation' },
      ),
      'CHAT',
      { id, knownFacts: { contractStatus: 'suspendu' } },
    );
    expect(claim.id).toBe(id);
    // 25 (seed scenario) + CONTRACT_SUSPENDED 30 = 55, the expert band
    expect(claim.cciScore).toBe(55);
    expect(claim.cciBreakdown!.facts.contractStatus).toBe('suspendu');
    const events = await eventsOf(id);
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        causationId,
        correlationId: 'corr-1',
        data: expect.objectContaining({ channel: 'CHAT', handling: 'EXPERT' }),
      }),
      expect.objectContaining({ causationId, type: 'ClaimScored' }),
      // CCI 55 (expert band): routed to EXPERT_REVIEW, in the event's chain
      expect.objectContaining({
        causationId,
        type: 'ClaimStatusChanged',
        data: expect.objectContaining({ from: 'NEW', to: 'EXPERT_REVIEW' }),
      }),
    ]);
    // a later correction rescores with what the consumer knew, not without it
    const updated = await service.updateClaim(
      parseUpdateClaim({ id, estimatedDamage: '6000' }, new Date()),
      callerOf({ principal: { sub: 'a', roles: ['advisor'] }, correlationId: 'c' }),
    );
    expect(updated.cciScore).toBe(55 - 5 + 15);
  });
});

describe('changeStatus (service)', () => {
  it('follows the lifecycle with ClaimStatusChanged in the same transaction and stamps date_fermeture on CLOSED', async () => {
    const claim = await open();
    const service = h.service.parts.service;
    const caller = systemCaller('lifecycle');
    // routed IN_PROGRESS at opening
    const closed = await service.changeStatus(claim.id, 'CLOSED', 'réglé', caller);
    expect(closed.status).toBe('fermé');
    expect(closed.closedAt).toBeInstanceOf(Date);
    await expect(service.changeStatus(claim.id, 'CLOSED', undefined, caller)).rejects.toMatchObject({
      code: 'CLAIM.INVALID_TRANSITION',
    });
    const changed = (await eventsOf(claim.id)).filter((e) => e.event_type === 'ClaimStatusChanged');
    expect(changed).toHaveLength(2);
    expect(changed[0]!.payload).toMatchObject({ data: { from: 'NEW', to: 'IN_PROGRESS' } });
    expect(changed[1]!.payload).toMatchObject({
      correlationId: caller.correlationId,
      actor: caller.actor,
      data: { claimId: claim.id, from: 'IN_PROGRESS', to: 'CLOSED', reason: 'réglé' },
    });
  });
});
