// What the consumer of ClaimOpened does with an event, before and after the repository
// (claim.int.spec.ts runs it for real): ids checked and lower-cased, conflicts refused.
import { randomUUID } from 'node:crypto';
import { EventError, newEvent, type EventDataMap } from '@crm/events';
import { type EntityManager } from 'typeorm';
import { applyClaimOpened } from './claim.consumer';
import { type KnownClaim, type KnownClaimRepository, type RecordOutcome } from './claim.repository';

const manager = {} as EntityManager;
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
  const repo = {
    record: (_tx: EntityManager, claim: KnownClaim) => {
      recorded.push(claim);
      return Promise.resolve(outcome);
    },
  } as unknown as KnownClaimRepository;
  return { repo, recorded };
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
  it('records the ids, lower-cased, and when the claim was opened', async () => {
    const { repo, recorded } = fakeRepo();
    const event = opened({ claimId: randomUUID().toUpperCase(), contractId: null });
    await applyClaimOpened(event, manager, repo);
    expect(recorded).toEqual([
      {
        claimId: event.data.claimId.toLowerCase(),
        clientId: event.data.clientId,
        contractId: null,
        openedAt: new Date('2026-02-02T15:00:00.000Z'),
      },
    ]);
  });

  it('ignores other events', async () => {
    const { repo, recorded } = fakeRepo();
    const other = newEvent(
      'ClaimStatusChanged',
      { claimId: randomUUID(), from: 'NEW', to: 'IN_PROGRESS' },
      { source: 'claims', subject: 'x', actor: { kind: 'system', id: 'claims' } },
    );
    await applyClaimOpened(other, manager, repo);
    expect(recorded).toEqual([]);
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
