// ClaimService's load and write steps against in-memory repositories (no database): what a
// failed load leaves unwritten (an unknown case, another client's id, an erased client), and the
// order in which a plan reaches the outbox.
import type { AnyEvent } from '@crm/events';
import { callerOf, type ServiceRuntime } from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import type { CaseRepository } from '../cases/case.repository';
import type { ClaimEntity } from './claim.entity';
import type { ClaimRepository, ClaimValues } from './claim.repository';
import { ClaimService } from './claim.service';
import { RED_LIGHT_CLIENT as clientId, redLightDeclaration } from '../../test/declaration';

const now = new Date('2026-02-04T09:00:00Z');
const caller = callerOf({ principal: { sub: 'adv-1', roles: ['advisor'] }, correlationId: 'corr-1' });
const reservedId = '7e1f2c3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
// the consumer's transaction: openClaim then opens none of its own
const manager = {} as EntityManager;

const declaration = (overrides: Record<string, unknown> = {}) => redLightDeclaration(now, overrides);

function fakes(existing: ClaimEntity | null = null, clientErased = false) {
  const calls: string[] = [];
  const published: AnyEvent[] = [];
  let row: ClaimEntity | undefined;
  const committed = (values: ClaimValues) => {
    row = { assignedAdvisorId: null, closedAt: null, archivedAt: null, ...row, ...values } as ClaimEntity;
    return Promise.resolve(row);
  };
  const claims = {
    lockClient: () => (calls.push('lockClient'), Promise.resolve()),
    isClientErased: () => (calls.push('clientErased'), Promise.resolve(clientErased)),
    lockNewId: (_m: EntityManager, _id: string) => (calls.push('lockNewId'), Promise.resolve(existing)),
    nextClaimSequence: () => (calls.push('nextClaimSequence'), Promise.resolve('42')),
    countPriorClaims: () => (calls.push('countPriorClaims'), Promise.resolve(0)),
    insert: (_m: EntityManager, values: ClaimValues) => (calls.push('insert'), committed(values)),
    update: (_m: EntityManager, _id: string, values: ClaimValues) => (
      calls.push('update'),
      committed(values)
    ),
    insertActions: () => (calls.push('insertActions'), Promise.resolve()),
    insertActivities: () => (calls.push('insertActivities'), Promise.resolve()),
  };
  const cases = {
    exists: (id: string) => (calls.push('caseExists'), Promise.resolve(id === 'known-case')),
    insertCase: () => (calls.push('insertCase'), Promise.resolve({})),
    lockCase: (_m: EntityManager, id: string) =>
      Promise.resolve({ id, status: 'NEW', lastEventAt: null, nextActionAt: null, confidenceScore: null }),
    insertEvent: () => (calls.push('journal'), Promise.resolve(true)),
    saveProjection: () => Promise.resolve({}),
  };
  const runtime = {
    clock: () => now,
    events: {
      outbox: {
        publish: (_m: EntityManager, events: AnyEvent[]) => {
          calls.push('publish');
          published.push(...events);
          return Promise.resolve();
        },
      },
    },
  };
  const service = new ClaimService(
    runtime as unknown as ServiceRuntime,
    claims as unknown as ClaimRepository,
    cases as unknown as CaseRepository,
  );
  return { service, calls, published };
}

describe('openClaim: load', () => {
  it('fails on an unknown case before drawing a claim number or writing anything', async () => {
    const { service, calls } = fakes();
    await expect(
      service.openClaim(declaration({ caseId: 'no-such-case' }), caller, 'WEB', { manager }),
    ).rejects.toMatchObject({ code: 'CASE.NOT_FOUND' });
    expect(calls).toEqual(['caseExists']);
  });

  it('returns the claim already opened under a reserved id, drawing no number and writing nothing', async () => {
    const opened = { id: reservedId, clientId } as ClaimEntity;
    const { service, calls } = fakes(opened);
    await expect(service.openClaim(declaration(), caller, 'CHAT', { id: reservedId, manager })).resolves.toBe(
      opened,
    );
    expect(calls).toEqual(['lockClient', 'lockNewId']);
  });

  it("refuses a reserved id that is another client's", async () => {
    const { service, calls } = fakes({ id: reservedId, clientId: reservedId } as ClaimEntity);
    await expect(
      service.openClaim(declaration(), caller, 'CHAT', { id: reservedId, manager }),
    ).rejects.toMatchObject({ code: 'CLAIM.ID_CONFLICT', details: { id: reservedId } });
    expect(calls).toEqual(['lockClient', 'lockNewId']);
  });

  it('refuses an erased client, under his lock, before drawing a claim number or writing anything', async () => {
    const { service, calls } = fakes(null, true);
    await expect(service.openClaim(declaration(), caller, 'WEB', { manager })).rejects.toMatchObject({
      code: 'CLAIM.CLIENT_ERASED',
      details: { clientId },
    });
    expect(calls).toEqual(['lockClient', 'clientErased']);
  });
});

describe('openClaim: write', () => {
  it('writes the rows, then the journal, then every event in one outbox batch, in the plan order', async () => {
    const { service, calls, published } = fakes();
    const claim = await service.openClaim(
      declaration({ injuries: true, caseId: 'known-case' }),
      caller,
      'WEB',
      {
        manager,
      },
    );
    expect(calls).toEqual([
      'caseExists',
      'lockClient',
      'clientErased',
      'nextClaimSequence',
      'countPriorClaims',
      'insert',
      'update',
      'insertActions',
      'insertActivities',
      'journal',
      'publish',
    ]);
    expect(published.map((e) => e.type)).toEqual([
      'ClaimOpened',
      'ClaimScored',
      'ClaimStatusChanged',
      'ClaimEscalationRequested',
    ]);
    // each event is built from the row its write left: opened NEW, then ESCALATED
    expect(published[0]!.data).toMatchObject({ status: 'NEW', channel: 'WEB', caseId: 'known-case' });
    expect(published[2]!.data).toMatchObject({ from: 'NEW', to: 'ESCALATED' });
    expect(claim.status).toBe('escalade');
    expect(published.every((e) => e.subject === claim.id)).toBe(true);
  });
});
