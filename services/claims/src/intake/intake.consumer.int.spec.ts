// The IntakeCompleted consumer on a real PostgreSQL database, events delivered through the
// in-process transport: the claim is opened once under the reserved id, scored by this
// service, escalated when a trigger fires, and a refused declaration is dead-lettered.
import { randomUUID } from 'node:crypto';
import { newEvent, topicForEventType, type AnyEvent, type IntakeCompletedDataV1 } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import { CLAIM, startClaims } from '../../test/harness';
import { intakeData } from '../../test/intake';
import { ERASURE_CONSUMER } from '../erasure/erasure.consumer';
import { INTAKE_CONSUMER } from './intake.consumer';

const h = perFile(() => startClaims('claims_intake'));

function intakeEvent(data: IntakeCompletedDataV1): AnyEvent {
  return newEvent('IntakeCompleted', data, {
    source: 'conversation',
    subject: data.conversationId,
    actor: { kind: 'client', id: data.clientId },
  });
}

function fresh(claim: Partial<IntakeCompletedDataV1['claim']> = {}): IntakeCompletedDataV1 {
  return {
    ...intakeData({ occurredAt: new Date(Date.now() - 86_400_000).toISOString(), ...claim }),
    conversationId: randomUUID(),
    claimId: randomUUID(),
    clientId: randomUUID(),
  };
}

const topic = () => topicForEventType('IntakeCompleted', h.service.runtime.events.catalog).name;

async function deliver(...events: AnyEvent[]): Promise<void> {
  await h.transport.send(
    events.map((e) => ({
      topic: topic(),
      key: e.subject,
      value: JSON.stringify(e),
      headers: { 'event-id': e.id, 'event-type': e.type },
    })),
  );
}

async function consumer() {
  const health = await h.service.runtime.events.health();
  return health.consumers.find((c) => c.consumer === INTAKE_CONSUMER)!;
}

/** Waits until the consumer has handled `n` more messages (applied, duplicate or dead-lettered). */
async function handled(before: number, n: number): Promise<void> {
  await waitFor(`${n} IntakeCompleted handled`, async () => {
    const c = await consumer();
    return c.applied + c.duplicates + c.deadLettered >= before + n;
  });
}
const seen = async () => {
  const c = await consumer();
  return c.applied + c.duplicates + c.deadLettered;
};

const eventsOf = async (claimId: string) => (await h.outbox()).filter((e) => e.message_key === claimId);

const claim = async (id: string) => (await h.gql(CLAIM, { id })).data!.claim;

describe('IntakeCompleted consumer (claims.intake)', () => {
  it('opens one claim under the reserved id with one ClaimScored, however often the intake arrives', async () => {
    const data = fresh();
    const event = intakeEvent(data);
    const before = await seen();
    await deliver(event, event);
    await handled(before, 2);

    const opened = await claim(data.claimId);
    expect(opened).toMatchObject({
      id: data.claimId,
      // autonomous: the lifecycle routed it at opening (issue 19)
      status: 'IN_PROGRESS',
      handling: 'AUTONOMOUS',
      // collision 10 + third party 10 + 1 500-5 000 € 5, contract active and covering: no points
      cciScore: 25,
      contract: { id: data.contractId },
      // the bot gave the instant
      occurredTimeKnown: true,
    });
    const rows: { n: number }[] = await h.service.runtime.dataSource.query(
      `select count(*)::int as n from sinistres where client_id = $1`,
      [data.clientId],
    );
    expect(rows[0]!.n).toBe(1);
    const events = await eventsOf(data.claimId);
    expect(events.map((e) => e.event_type)).toEqual(['ClaimOpened', 'ClaimScored', 'ClaimStatusChanged']);
    // the move is the lifecycle's, caused by the intake
    expect(events[2]!.payload).toMatchObject({
      causationId: event.id,
      actor: { kind: 'system', id: 'claims.lifecycle' },
      data: { from: 'NEW', to: 'IN_PROGRESS' },
    });
    expect(events[0]!.payload).toMatchObject({
      causationId: event.id,
      correlationId: event.correlationId,
      actor: { kind: 'client', id: data.clientId },
      data: { claimId: data.claimId, channel: 'CHAT', contractId: data.contractId },
    });
    expect(events[1]!.payload).toMatchObject({ data: { cciScore: 25, handling: 'AUTONOMOUS' } });

    // the bot publishing a second event for the same reserved id opens nothing either
    const again = intakeEvent({ ...data, completedAt: new Date().toISOString() });
    const mid = await seen();
    await deliver(again);
    await handled(mid, 1);
    expect(await eventsOf(data.claimId)).toHaveLength(3);
    const after: { n: number }[] = await h.service.runtime.dataSource.query(
      `select count(*)::int as n from sinistres where client_id = $1`,
      [data.clientId],
    );
    expect(after[0]!.n).toBe(1);
  });

  it('escalates a claim with injuries: ESCALATED, exactly one ClaimEscalationRequested carrying INJURIES', async () => {
    const data = fresh({ injuries: true, documentsProvided: false });
    const event = intakeEvent(data);
    const before = await seen();
    await deliver(event, event);
    await handled(before, 2);

    const escalated = await claim(data.claimId);
    expect(escalated).toMatchObject({ status: 'ESCALATED', handling: 'ESCALATED' });
    // injuries weigh enough to pass the CCI threshold too: both are recorded, the alert as well
    expect(escalated!.triggers.map((t) => [t.code, t.kind])).toEqual(
      expect.arrayContaining([
        ['INJURIES', 'ESCALATION'],
        ['MISSING_DOCUMENTS', 'ALERT'],
      ]),
    );
    expect(escalated!.statusHistory).toEqual([
      expect.objectContaining({
        from: 'NEW',
        to: 'ESCALATED',
        actorKind: 'system',
        actorId: 'claims.triggers',
      }),
    ]);
    // missing documents: an alert and the action asking for them, not a second escalation
    expect(escalated!.recommendedActions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'CLIENT_INFORMATION', priority: 'HIGH' })]),
    );

    const events = await eventsOf(data.claimId);
    expect(events.map((e) => e.event_type)).toEqual([
      'ClaimOpened',
      'ClaimScored',
      'ClaimStatusChanged',
      'ClaimEscalationRequested',
    ]);
    const requested = events.filter((e) => e.event_type === 'ClaimEscalationRequested');
    expect(requested).toHaveLength(1);
    // an alert is never an escalation trigger
    expect(JSON.stringify(requested[0]!.payload)).not.toContain('MISSING_DOCUMENTS');
    expect(requested[0]!.payload).toMatchObject({
      causationId: event.id,
      actor: { kind: 'system', id: 'claims.triggers' },
      data: {
        claimId: data.claimId,
        clientId: data.clientId,
        cciScore: escalated!.cciScore,
        injuries: true,
        previousStatus: 'NEW',
        triggers: expect.arrayContaining([{ code: 'INJURIES', reason: expect.stringMatching(/Blessures/) }]),
      },
    });
    expect(events[2]!.payload).toMatchObject({ data: { from: 'NEW', to: 'ESCALATED' } });
  });

  it('opens a claim with no applicable contract and no time of day, scored with the facts the bot checked', async () => {
    // a day two days back (never in the future, whatever the day the test runs)
    const occurredOn = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const data: IntakeCompletedDataV1 = {
      ...fresh({ occurredAt: null, occurredAtLocal: null, occurredOn }),
      contractId: null,
      facts: { claimType: 'collision', contractStatus: 'inconnu' },
    };
    const before = await seen();
    await deliver(intakeEvent(data));
    await handled(before, 1);
    const opened = await claim(data.claimId);
    // the day at its start, its hour said unknown (a console shows the day alone)
    expect(opened).toMatchObject({
      contract: null,
      occurredAt: `${occurredOn}T00:00:00.000Z`,
      occurredTimeKnown: false,
    });
    // the bot's 'inconnu' contract is scored (+20): the claims service does not invent one
    const scored = (await eventsOf(data.claimId)).find((e) => e.event_type === 'ClaimScored')!;
    expect(scored.payload.data).toMatchObject({ factors: expect.arrayContaining(['CONTRACT_UNKNOWN']) });
  });

  it('dead-letters an intake whose reserved id is another client claim, and writes nothing', async () => {
    const data = fresh();
    const first = await seen();
    await deliver(intakeEvent(data));
    await handled(first, 1);
    const outboxBefore = (await h.outbox()).length;

    const stolen = intakeEvent({ ...data, clientId: randomUUID() });
    const before = await seen();
    await deliver(stolen);
    await handled(before, 1);
    expect((await consumer()).deadLettered).toBeGreaterThanOrEqual(1);
    const dlq = h.transport.records(`${topic()}.dlq`);
    expect(dlq.map((m) => m.headers['dlq-error-code'])).toContain('EVENT.REJECTED');
    expect((await h.outbox()).length).toBe(outboxBefore);
    const processed: { n: number }[] = await h.service.runtime.dataSource.query(
      `select count(*)::int as n from event_processed where event_id = $1`,
      [stolen.id],
    );
    expect(processed[0]!.n).toBe(0);
  });

  it("drops an erased client's intake: no claim, nothing dead-lettered (his words kept nowhere)", async () => {
    const data = fresh({ description: 'Canaridrop percuté au feu rouge' });
    const erasure = newEvent(
      'ClientErased',
      {
        clientId: data.clientId,
        contractIds: [],
        erasedAt: '2026-03-01T09:00:00.000Z',
        reason: 'GDPR_REQUEST',
      },
      { source: 'identity', subject: data.clientId, actor: { kind: 'advisor', id: randomUUID() } },
    );
    await h.send(erasure);
    await h.processed(ERASURE_CONSUMER, erasure.id);
    const dlqBefore = h.transport.records(`${topic()}.dlq`).length;
    const before = await seen();
    const event = intakeEvent(data);
    await deliver(event);
    await handled(before, 1);
    expect(
      await h.sql(`select 1 from sinistres where id = $1 or client_id = $2`, [data.claimId, data.clientId]),
    ).toEqual([]);
    expect(h.transport.records(`${topic()}.dlq`)).toHaveLength(dlqBefore);
    // consumed once for good: a redelivery is a duplicate, not a retry
    const processed = await h.sql<{ n: number }>(
      `select count(*)::int as n from event_processed where event_id = $1`,
      [event.id],
    );
    expect(processed[0]!.n).toBe(1);
  });
});
