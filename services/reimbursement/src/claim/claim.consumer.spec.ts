// What the consumer of ClaimOpened does with an event, before and after the repository
// (claim.int.spec.ts runs it for real): ids checked and lower-cased, conflicts refused.
import { randomUUID } from 'node:crypto';
import { EventError, newEvent, type EventDataMap } from '@crm/events';
import { type EntityManager } from 'typeorm';
import { applyClaimOpened } from './claim.consumer';
import { type KnownClaim, type KnownClaimRepository, type RecordOutcome } from './claim.repository';

// the advisory lock is the only statement the consumer runs itself
const manager = { query: () => Promise.resolve([]) } as unknown as EntityManager;
const opened = (over: Partial<EventDataMap['ClaimOpened']> = {}) => {
  const data: EventDataMap['ClaimOpened'] = {
    claimId: randomUUID(),
    claimNumber: 'SIN-2026-0001',
    clientId: randomUUID(),
    contractId: randomUUID(),
    claimType: 'COLLISION',
    occurredOn: '2026-02-02',
    description: 'choc arrière',
    channel: 'CHAT',
    ...over,
  };
  return newEvent('ClaimOpened', data, {
    source: 'claims',
    subject: data.claimId,
    actor: { kind: 'bot', id: 'bot' },
    occurredAt: new Date('2026-02-02T15:00:00.000Z'),
  });
};

function fakeRepo(outcome: RecordOutcome = 'recorded') {
  const recorded: KnownClaim[] = [];
  const statuses: [string, string, Date][] = [];
  const repo = {
    record: (_tx: EntityManager, claim: KnownClaim) => {
      recorded.push(claim);
      return Promise.resolve(outcome);
    },
    setStatus: (_tx: EntityManager, claimId: string, status: string, at: Date) => {
      statuses.push([claimId, status, at]);
      return Promise.resolve(true);
    },
  } as unknown as KnownClaimRepository;
  return { repo, recorded, statuses };
}

async function rejection(promise: Promise<unknown>): Promise<EventError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EventError);
  return err as EventError;
}

describe('applyClaimOpened', () => {
  it('records the ids, lower-cased, when the claim was opened, and what the assessment reads', async () => {
    const { repo, recorded } = fakeRepo();
    const event = opened({
      claimId: randomUUID().toUpperCase(),
      contractId: null,
      thirdPartyInvolved: true,
      thirdPartyResponsible: true,
      estimatedDamage: '1200.00',
      status: 'IN_PROGRESS',
    });
    await applyClaimOpened(event, manager, repo);
    expect(recorded).toEqual([
      {
        claimId: event.data.claimId.toLowerCase(),
        clientId: event.data.clientId,
        contractId: null,
        openedAt: new Date('2026-02-02T15:00:00.000Z'),
        claimType: 'COLLISION',
        occurredOn: '2026-02-02',
        thirdPartyInvolved: true,
        thirdPartyResponsible: true,
        estimatedDamage: '1200.00',
        status: 'IN_PROGRESS',
        channel: 'CHAT',
      },
    ]);
  });

  it('keeps the status a ClaimStatusChanged gives, dated by the event', async () => {
    const { repo, recorded, statuses } = fakeRepo();
    const claimId = randomUUID();
    const changed = newEvent(
      'ClaimStatusChanged',
      { claimId: claimId.toUpperCase(), from: 'NEW', to: 'IN_PROGRESS' },
      {
        source: 'claims',
        subject: claimId,
        actor: { kind: 'system', id: 'claims' },
        occurredAt: new Date('2026-02-03T10:00:00.000Z'),
      },
    );
    await applyClaimOpened(changed, manager, repo);
    expect(recorded).toEqual([]);
    expect(statuses).toEqual([[claimId, 'IN_PROGRESS', new Date('2026-02-03T10:00:00.000Z')]]);
  });

  it.each(['claimId', 'clientId', 'contractId'] as const)(
    'dead-letters a %s that is not a UUID, naming the field and not the value',
    async (field) => {
      const { repo, recorded } = fakeRepo();
      const err = await rejection(
        applyClaimOpened(opened({ [field]: 'marie.curie@example.fr' }), manager, repo),
      );
      expect(err.code).toBe('EVENT.REJECTED');
      expect(err.retriable).toBe(false);
      expect(err.message).toContain(`${field} is not a UUID`);
      expect(err.message).not.toContain('curie');
      expect(recorded).toEqual([]);
    },
  );

  it('changes nothing for the same facts again, and dead-letters another owner without naming him', async () => {
    await expect(applyClaimOpened(opened(), manager, fakeRepo('same').repo)).resolves.toBeUndefined();
    const event = opened();
    const err = await rejection(applyClaimOpened(event, manager, fakeRepo('conflict').repo));
    expect(err.code).toBe('EVENT.REJECTED');
    expect(err.message).toContain(event.data.claimId);
    expect(err.message).not.toContain(event.data.clientId);
  });
});
