// Issue 15: the escalation queue's AdvisorAssigned sets the claim's assigned advisor
// (sinistres.conseiller_affecte_id, Claim.assignedAdvisor) and a case's owner (owner_uid), through
// the consumer claims.assignments: once per event, in order per entry, the latest assignment
// winning, the claim's status untouched. Real PostgreSQL, in-process transport, pinned clock.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { newEvent, type EventDataMap } from '@crm/events';
import { graphql } from '../../test/generated';
import { CLAIM, startClaims } from '../../test/harness';
import { ASSIGNMENT_CONSUMER } from './assignment.consumer';

const T0 = new Date('2031-05-12T09:00:00.000Z');
let now = T0;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const h = perFile(() =>
  startClaims('claims_assignments', { settings: { clock: () => new Date(now.getTime()) } }),
);
beforeEach(() => {
  now = T0;
});

type Assigned = EventDataMap['AdvisorAssigned'];
function assigned(entryId: string, over: Partial<Assigned> & Pick<Assigned, 'advisorId' | 'assignedAt'>) {
  return newEvent(
    'AdvisorAssigned',
    { escalationId: entryId, advisorName: 'Claire Martin', mode: 'AUTO', ...over },
    // the queue's key is the entry: one entry's assignments arrive in order
    { source: 'escalation', subject: entryId, actor: { kind: 'system', id: 'escalation.requests' } },
  );
}

async function deliver(...events: ReturnType<typeof assigned>[]): Promise<void> {
  await h.send(...events);
  await h.processed(ASSIGNMENT_CONSUMER, ...new Set(events.map((e) => e.id)));
}

async function openClaim() {
  return h.open({ occurredAt: at(-86_400).toISOString() });
}
const row = async (claimId: string) =>
  (
    await h.sql<{
      conseiller_affecte_id: string | null;
      conseiller_affecte_le: Date | null;
      status_dossier: string;
      date_modification: Date;
    }>(
      `select conseiller_affecte_id, conseiller_affecte_le, status_dossier, date_modification from sinistres where id = $1`,
      [claimId],
    )
  )[0]!;
const updates = async (claimId: string) =>
  (await h.outbox()).filter((e) => e.message_key === claimId && e.event_type === 'ClaimUpdated');

const CASE_OWNER = graphql(`
  query CaseOwner($id: ID!) {
    case(id: $id) {
      id
      ownerUid
    }
  }
`);

describe('AdvisorAssigned -> the claim (consumer claims.assignments)', () => {
  it('sets Claim.assignedAdvisor with ClaimUpdated, once, keeping the status; a reassignment replaces him', async () => {
    const claim = await openClaim();
    expect(claim.assignedAdvisor).toBeNull();
    const before = await row(claim.id);
    const entry = randomUUID();
    const claire = randomUUID();
    now = at(60);
    const first = assigned(entry, { claimId: claim.id, advisorId: claire, assignedAt: at(30).toISOString() });
    await deliver(first, first);

    expect((await h.gql(CLAIM, { id: claim.id })).data!.claim!.assignedAdvisor).toEqual({ id: claire });
    expect(await row(claim.id)).toEqual({
      conseiller_affecte_id: claire,
      conseiller_affecte_le: at(30),
      status_dossier: before.status_dossier,
      date_modification: at(60),
    });
    const [update, ...more] = await updates(claim.id);
    expect(more).toEqual([]);
    expect(update!.payload).toMatchObject({
      causationId: first.id,
      correlationId: first.correlationId,
      actor: { kind: 'system', id: 'escalation.requests' },
      data: { claimId: claim.id, clientId: claim.client.id, changedFields: ['assignedAdvisor'] },
    });

    // the same entry reassigned by a supervisor, in order on its key
    now = at(600);
    const bob = randomUUID();
    await deliver(
      assigned(entry, {
        claimId: claim.id,
        advisorId: bob,
        previousAdvisorId: claire,
        mode: 'REASSIGNMENT',
        assignedAt: at(500).toISOString(),
      }),
    );
    expect(await row(claim.id)).toMatchObject({ conseiller_affecte_id: bob, conseiller_affecte_le: at(500) });
    expect(await updates(claim.id)).toHaveLength(2);
  });

  it('keeps the latest assignment: an older one delivered late changes nothing, the same advisor later only its instant', async () => {
    const claim = await openClaim();
    const claire = randomUUID();
    const bob = randomUUID();
    now = at(900);
    // the claim's second entry (after the first was resolved), delivered before its first's
    await deliver(
      assigned(randomUUID(), { claimId: claim.id, advisorId: bob, assignedAt: at(800).toISOString() }),
    );
    await deliver(
      assigned(randomUUID(), { claimId: claim.id, advisorId: claire, assignedAt: at(100).toISOString() }),
    );
    expect(await row(claim.id)).toMatchObject({ conseiller_affecte_id: bob, conseiller_affecte_le: at(800) });
    expect(await updates(claim.id)).toHaveLength(1);

    now = at(2000);
    await deliver(
      assigned(randomUUID(), { claimId: claim.id, advisorId: bob, assignedAt: at(1900).toISOString() }),
    );
    expect(await row(claim.id)).toMatchObject({
      conseiller_affecte_id: bob,
      conseiller_affecte_le: at(1900),
      // not a change of the claim: no progress, no event
      date_modification: at(900),
    });
    expect(await updates(claim.id)).toHaveLength(1);
  });

  it('sets nothing for a claim it does not have, or an entry about a conversation alone', async () => {
    const claim = await openClaim();
    const unknown = randomUUID();
    const before = (await h.outbox()).length;
    await deliver(
      assigned(randomUUID(), { claimId: unknown, advisorId: randomUUID(), assignedAt: at(10).toISOString() }),
      assigned(randomUUID(), {
        conversationId: randomUUID(),
        advisorId: randomUUID(),
        assignedAt: at(10).toISOString(),
      }),
    );
    expect(await h.sql(`select id from sinistres where id = $1`, [unknown])).toEqual([]);
    expect(
      await h.sql(
        `select count(*)::int as n from sinistres where conseiller_affecte_id is not null and id = $1`,
        [claim.id],
      ),
    ).toEqual([{ n: 0 }]);
    expect(await h.outbox()).toHaveLength(before);
  });
});

describe('AdvisorAssigned -> the case (consumer claims.assignments)', () => {
  it("makes the advisor who took a case's call request its owner; a reassignment replaces him, an older one does not", async () => {
    const claim = await openClaim();
    const [{ case_id: caseId }] = (await h.sql<{ case_id: string }>(
      `select case_id from sinistres where id = $1`,
      [claim.id],
    )) as [{ case_id: string }];
    const owner = async () => (await h.gql(CASE_OWNER, { id: caseId })).data!.case!.ownerUid;
    expect(await owner()).toBeNull();

    const entry = randomUUID();
    const claire = randomUUID();
    const bob = randomUUID();
    const outboxBefore = (await h.outbox()).length;
    await deliver(
      assigned(entry, { caseId, advisorId: claire, assignedAt: at(30).toISOString() }),
      assigned(entry, {
        caseId,
        advisorId: bob,
        previousAdvisorId: claire,
        mode: 'REASSIGNMENT',
        assignedAt: at(90).toISOString(),
      }),
    );
    expect(await owner()).toBe(bob);
    await deliver(assigned(randomUUID(), { caseId, advisorId: claire, assignedAt: at(60).toISOString() }));
    expect(await owner()).toBe(bob);
    expect(await h.sql(`select owner_assigned_at from cases where case_id = $1`, [caseId])).toEqual([
      { owner_assigned_at: at(90) },
    ]);
    // a case's owner is nobody else's business: no event
    expect(await h.outbox()).toHaveLength(outboxBefore);
  });
});
