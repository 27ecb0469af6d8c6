// The audit records of the queue's entries (docs/security.md, Audit log), through the subgraph
// over real HTTP and PostgreSQL: escalateClaim, assignEscalation and startEscalation leave the
// fields they set, old and new, sealed under the entry's key (the record names the entry, from the
// result: their inputs name it escalationId or not at all); nothing of them in clear, and nothing
// readable once the client is erased. The chain still verifies.
import { randomUUID } from 'node:crypto';
import { verifyAuditDatabase } from '@crm/db';
import { newEvent } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import { ERASURE_CONSUMER } from '../service';
import {
  auditRecordsOf,
  openedAuditValues,
  ESCALATE_CLAIM,
  START_ESCALATION,
  startHarness,
  type StoredAuditRecord,
} from '../../test/harness';

const T0 = new Date('2031-05-12T09:00:00.000Z');

// a pinned clock: an assignment's instant is the same for every assignment of the test
const h = perFile(() => startHarness('escalation_audit', { clock: () => new Date(T0.getTime()) }));

const recordsOf = (id: string) => auditRecordsOf(h, id);
const opened = (records: StoredAuditRecord[]) => openedAuditValues(h, 'escalation', records);

describe('the audit records of queue entries', () => {
  it("keep what each mutation set, old and new, sealed under the entry's key, unreadable after the erasure", async () => {
    const canary = `CANARI_${randomUUID().slice(0, 8)}`;
    const [claimId, clientId] = [randomUUID(), randomUUID()];
    // busy advisors: given work by hand only, so the entry waits until it is assigned here
    const [first, second] = [
      await h.registerAdvisor({ status: 'BUSY' }),
      await h.registerAdvisor({ status: 'BUSY' }),
    ];
    const input = { claimId, clientId, reasons: ['INJURIES', canary], cciScore: 80 };
    const escalated = await h.gql(ESCALATE_CLAIM, { input });
    expect(escalated.errors).toBeUndefined();
    const entry = escalated.data!.escalateClaim;
    expect(entry).toMatchObject({ status: 'WAITING', priority: 90 });
    // escalated again while open: the same entry, nothing changed
    expect((await h.gql(ESCALATE_CLAIM, { input })).data?.escalateClaim.id).toBe(entry.id);

    const assigned = await h.assign(entry.id, first.id);
    expect(assigned.errors).toBeUndefined();
    const { assignedAt } = assigned.data!.assignEscalation;
    // the reassignment at the same (pinned) instant changes the advisor only
    expect((await h.assign(entry.id, second.id)).errors).toBeUndefined();
    const started = await h.gql(START_ESCALATION, { input: { escalationId: entry.id } });
    expect(started.data?.startEscalation.status).toBe('IN_PROGRESS');

    const records = await recordsOf(entry.id);
    expect(records.map((r) => [r.operation, r.outcome])).toEqual([
      ['Mutation.escalateClaim', 'ok'],
      ['Mutation.escalateClaim', 'ok'],
      ['Mutation.assignEscalation', 'ok'],
      ['Mutation.assignEscalation', 'ok'],
      ['Mutation.startEscalation', 'ok'],
    ]);
    expect(records[1]!.changes).toBeNull();

    // stored sealed: no value in clear, every one a ciphertext
    const stored = JSON.stringify(records);
    for (const clear of [canary, claimId, clientId, first.id, second.id, 'WAITING', 'IN_PROGRESS'])
      expect(stored).not.toContain(clear);
    for (const r of records)
      for (const change of Object.values(r.changes ?? {}))
        for (const value of [change.old, change.new]) if (value !== null) expect(value).toMatch(/^pd1:/);

    // opened with the entry's key
    const [queued, repeated, assignment, reassignment, start] = await opened(records);
    // what the entry was queued with, as new values (no advisor, no conversation: none to show)
    expect(queued).toEqual([
      { field: 'claimId', old: null, new: claimId, erased: false },
      { field: 'clientId', old: null, new: clientId, erased: false },
      { field: 'priority', old: null, new: '90', erased: false },
      { field: 'queuedAt', old: null, new: JSON.stringify(entry.queuedAt), erased: false },
      { field: 'reasons', old: null, new: JSON.stringify(['INJURIES', canary]), erased: false },
      { field: 'status', old: null, new: 'WAITING', erased: false },
    ]);
    expect(repeated).toBeNull();
    expect(assignment).toEqual([
      { field: 'advisorId', old: null, new: first.id, erased: false },
      { field: 'assignedAt', old: null, new: JSON.stringify(assignedAt), erased: false },
      { field: 'status', old: 'WAITING', new: 'ASSIGNED', erased: false },
    ]);
    expect(reassignment).toEqual([{ field: 'advisorId', old: first.id, new: second.id, erased: false }]);
    expect(start).toEqual([{ field: 'status', old: 'ASSIGNED', new: 'IN_PROGRESS', erased: false }]);

    // the client erased: his entries' keys shredded, the records keep which fields, not the values
    const erasure = newEvent(
      'ClientErased',
      { clientId, contractIds: [], erasedAt: T0.toISOString(), reason: 'GDPR_REQUEST' },
      { source: 'identity', subject: clientId, actor: { kind: 'advisor', id: randomUUID() } },
    );
    await h.send(erasure);
    await waitFor(
      'the erasure applied',
      async () => (await h.processedCount(ERASURE_CONSUMER, [erasure.id])) === 1,
    );
    const after = await opened(records);
    for (const [i, r] of records.entries()) {
      if (!r.changes) continue;
      expect(after[i]!.map((c) => c.field)).toEqual(Object.keys(r.changes).sort());
      expect(after[i]!.every((c) => c.erased && c.old === null && c.new === null)).toBe(true);
    }
    // the hash covers the ciphertexts: the chain still verifies
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });

  it('records no values for a change of an entry whose key was shredded', async () => {
    const clientId = randomUUID();
    const entry = await h.escalate({ clientId });
    const erasure = newEvent(
      'ClientErased',
      { clientId, contractIds: [], erasedAt: T0.toISOString(), reason: 'GDPR_REQUEST' },
      { source: 'identity', subject: clientId, actor: { kind: 'advisor', id: randomUUID() } },
    );
    await h.send(erasure);
    await waitFor(
      'the erasure applied',
      async () => (await h.processedCount(ERASURE_CONSUMER, [erasure.id])) === 1,
    );
    // the queue's record goes on (assigned, taken up); its audit records name the entry, no value
    const advisor = await h.registerAdvisor({ status: 'BUSY' });
    expect((await h.assign(entry.id, advisor.id)).errors).toBeUndefined();
    expect((await h.gql(START_ESCALATION, { input: { escalationId: entry.id } })).errors).toBeUndefined();
    const records = await recordsOf(entry.id);
    expect(records.map((r) => [r.operation, r.outcome, r.changes])).toEqual([
      ['Mutation.escalateClaim', 'ok', expect.any(Object)],
      ['Mutation.assignEscalation', 'ok', null],
      ['Mutation.startEscalation', 'ok', null],
    ]);
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });

  it('keeps the advisor of an entry assigned as it is escalated among its new values', async () => {
    // the tests above leave no entry waiting: the new entry is the head of the queue
    const advisor = await h.registerAdvisor({ status: 'AVAILABLE', capacity: 1 });
    const entry = await h.escalate();
    expect(entry).toMatchObject({ status: 'ASSIGNED', advisor: { id: advisor.id } });
    const [record] = await recordsOf(entry.id);
    const [values] = await opened([record!]);
    expect(values).toEqual(
      expect.arrayContaining([
        { field: 'advisorId', old: null, new: advisor.id, erased: false },
        { field: 'assignedAt', old: null, new: JSON.stringify(entry.assignedAt), erased: false },
        { field: 'status', old: null, new: 'ASSIGNED', erased: false },
      ]),
    );
  });
});
