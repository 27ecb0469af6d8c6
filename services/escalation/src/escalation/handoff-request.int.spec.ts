// Issue 12, item 3: when the bot transfers a client (HandoffRequested: asked for a person, not
// understood, authentication failed), the transfer becomes an entry of the queue about the
// conversation, assigned like any entry. Real PostgreSQL, in-process transport.
import { randomUUID } from 'node:crypto';
import { newEvent, type EventDataMap } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import { REQUESTS_CONSUMER } from '../service';
import { RESOLVE_ESCALATION, startHarness } from '../../test/harness';
import { graphql } from '../../test/generated';

const h = perFile(() => startHarness('escalation_handoffs'));
beforeEach(async () => {
  await h.query(`delete from affectations`);
  await h.query(`delete from escalades`);
  await h.query(`delete from conseillers`);
});

function handoff(over: Partial<EventDataMap['HandoffRequested']> = {}) {
  const conversationId = over.conversationId ?? randomUUID();
  return newEvent(
    'HandoffRequested',
    {
      conversationId,
      claimId: null,
      clientId: randomUUID(),
      reason: 'CLIENT_REQUEST',
      phase: 'description',
      collected: { type_sinistre: 'collision' },
      requestedAt: new Date(Date.now() - 30_000).toISOString(),
      ...over,
    },
    { source: 'conversation', subject: conversationId, actor: { kind: 'bot', id: 'conversation' } },
  );
}

const processed = (eventIds: string[]) => h.processedCount(REQUESTS_CONSUMER, eventIds);
const HANDOFF_ENTRY = graphql(`
  query HandoffEntry($id: ID!) {
    escalation(id: $id) {
      ...EntryOrigin
      conversation {
        id
      }
      advisor {
        id
      }
    }
  }
`);
const HANDOFF_QUEUE = graphql(`
  query HandoffQueue {
    escalationQueue {
      edges {
        node {
          reasons
          client {
            id
          }
          conversation {
            id
          }
        }
      }
    }
  }
`);

describe('bot transfers through the escalation.requests consumer', () => {
  it('queues the conversation once (redelivery, a second transfer while open), with its client', async () => {
    const first = handoff();
    const again = handoff({ conversationId: first.data.conversationId, reason: 'NOT_UNDERSTOOD' });
    await h.send(first, first, again);
    await waitFor('both applied', async () => (await processed([first.id, again.id])) === 2);

    const rows = await h.query<{ id: string }>(`select id from escalades where conversation_id = $1`, [
      first.data.conversationId,
    ]);
    expect(rows).toHaveLength(1);
    const r = await h.gql(HANDOFF_ENTRY, { id: rows[0]!.id });
    expect(r.errors).toBeUndefined();
    expect(r.data!.escalation).toEqual({
      id: rows[0]!.id,
      origin: 'CONVERSATION',
      status: 'WAITING',
      priority: 0,
      reasons: ['CLIENT_REQUEST'],
      // the client waits since the transfer, not since the message reached the queue
      queuedAt: first.data.requestedAt,
      claim: null,
      client: { id: first.data.clientId },
      case: null,
      conversation: { id: first.data.conversationId },
      advisor: null,
    });

    const events = await h.outbox(rows[0]!.id);
    expect(events.map((e) => e.event_type)).toEqual(['EscalationQueued']);
    const queued = events[0]!.payload as unknown as { version: number; causationId: string; data: object };
    expect(queued.version).toBe(3);
    expect(queued.causationId).toBe(first.id);
    expect(queued.data).toEqual({
      escalationId: rows[0]!.id,
      conversationId: first.data.conversationId,
      clientId: first.data.clientId,
      priority: 0,
      reasons: ['CLIENT_REQUEST'],
      queuedAt: first.data.requestedAt,
    });
  });

  it('queues a client who could not be authenticated, and serves declared injuries first', async () => {
    const anonymous = handoff({
      reason: 'AUTHENTICATION_FAILED',
      clientId: null,
      phase: 'auth',
      collected: {},
    });
    const hurt = handoff({ reason: 'NOT_UNDERSTOOD', collected: { blessures: true } });
    await h.send(anonymous, hurt);
    await waitFor('applied', async () => (await processed([anonymous.id, hurt.id])) === 2);
    const queue = await h.gql(HANDOFF_QUEUE);
    expect(queue.data!.escalationQueue.edges.map((e) => e.node)).toEqual([
      {
        reasons: ['NOT_UNDERSTOOD', 'INJURIES'],
        client: { id: hurt.data.clientId },
        conversation: { id: hurt.data.conversationId },
      },
      { reasons: ['AUTH_FAILED'], client: null, conversation: { id: anonymous.data.conversationId } },
    ]);
  });

  it('is assigned at once to an advisor with room, and resolving it frees the conversation for a new entry', async () => {
    const advisor = await h.registerAdvisor({ capacity: 1 });
    const first = handoff();
    await h.send(first);
    await waitFor('applied', async () => (await processed([first.id])) === 1);
    const [row] = await h.query<{ id: string; statut: string; conseiller_id: string }>(
      `select * from escalades where conversation_id = $1`,
      [first.data.conversationId],
    );
    expect(row).toMatchObject({ statut: 'assignee', conseiller_id: advisor.id });
    const assigned = (await h.outbox(row!.id)).find((e) => e.event_type === 'AdvisorAssigned')!;
    expect(assigned.payload.data).toMatchObject({ conversationId: first.data.conversationId, mode: 'AUTO' });

    const resolved = await h.gql(RESOLVE_ESCALATION, {
      input: { escalationId: row!.id, resolution: 'Client rappelé, déclaration prise' },
    });
    expect(resolved.data?.resolveEscalation.status).toBe('RESOLVED');
    const next = handoff({ conversationId: first.data.conversationId });
    await h.send(next);
    await waitFor('applied', async () => (await processed([next.id])) === 1);
    const statuses = await h.query<{ statut: string }>(
      `select statut from escalades where conversation_id = $1 order by date_creation`,
      [first.data.conversationId],
    );
    expect(statuses.map((s) => s.statut)).toEqual(['resolue', 'assignee']);
  });

  it("leaves an escalated claim's transfer to the claim's request, and a week-old transfer to history", async () => {
    const escalated = handoff({ reason: 'ESCALATED', claimId: randomUUID(), phase: 'decision' });
    const stale = handoff({ requestedAt: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    const fresh = handoff();
    await h.send(escalated, stale, fresh);
    await waitFor('applied', async () => (await processed([escalated.id, stale.id, fresh.id])) === 3);
    const rows = await h.query<{ conversation_id: string }>(`select conversation_id from escalades`);
    expect(rows.map((r) => r.conversation_id)).toEqual([fresh.data.conversationId]);
  });
});
