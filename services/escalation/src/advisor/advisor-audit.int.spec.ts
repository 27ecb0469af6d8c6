// The audit records of the advisors (docs/security.md, Audit log), through the subgraph over real
// HTTP and PostgreSQL: registerAdvisor and setAdvisorStatus leave the fields they set, old and new,
// sealed under a key of the advisor's own (the record names the advisor, from the result), so the
// audit log holds none of his values in clear though `conseillers` keeps them in clear; once that
// key is shredded they cannot be read. The chain still verifies.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { verifyAuditDatabase } from '@crm/db';
import { vaultOf } from '@crm/subgraph';
import {
  auditRecordsOf,
  openedAuditValues,
  REGISTER_ADVISOR,
  SET_ADVISOR_STATUS,
  startHarness,
  type StoredAuditRecord,
} from '../../test/harness';

const h = perFile(() => startHarness('advisor_audit'));

const recordsOf = (id: string) => auditRecordsOf(h, id);
const opened = (records: StoredAuditRecord[]) => openedAuditValues(h, 'advisor', records);

describe('the audit records of advisors', () => {
  it("keep what was set, old and new, sealed under the advisor's key, unreadable once it is shredded", async () => {
    const canary = `canari${randomUUID().slice(0, 8)}`;
    const registered = await h.gql(REGISTER_ADVISOR, {
      input: {
        name: `Marie ${canary}`,
        email: `${canary}@assur.example`,
        phone: '0102030405',
        specialty: 'sinistre_complexe',
        capacity: 3,
        status: 'ON_BREAK',
      },
    });
    expect(registered.errors).toBeUndefined();
    const advisor = registered.data!.registerAdvisor;
    const back = await h.gql(SET_ADVISOR_STATUS, { input: { advisorId: advisor.id, status: 'BUSY' } });
    expect(back.data?.setAdvisorStatus.status).toBe('BUSY');
    // the same status again: nothing changed, a record without values
    expect(
      (await h.gql(SET_ADVISOR_STATUS, { input: { advisorId: advisor.id, status: 'BUSY' } })).errors,
    ).toBeUndefined();

    const records = await recordsOf(advisor.id);
    expect(records.map((r) => [r.operation, r.outcome])).toEqual([
      ['Mutation.registerAdvisor', 'ok'],
      ['Mutation.setAdvisorStatus', 'ok'],
      ['Mutation.setAdvisorStatus', 'ok'],
    ]);
    expect(records[2]!.changes).toBeNull();
    // stored sealed: no value in clear, every one a ciphertext
    const stored = JSON.stringify(records);
    for (const clear of [canary, '0102030405', 'sinistre_complexe', 'ON_BREAK', 'BUSY'])
      expect(stored).not.toContain(clear);
    for (const r of records)
      for (const change of Object.values(r.changes ?? {}))
        for (const value of [change.old, change.new]) if (value !== null) expect(value).toMatch(/^pd1:/);

    const [registration, statusChange] = await opened(records);
    expect(registration).toEqual([
      { field: 'capacity', old: null, new: '3', erased: false },
      { field: 'email', old: null, new: `${canary}@assur.example`, erased: false },
      { field: 'name', old: null, new: `Marie ${canary}`, erased: false },
      { field: 'phone', old: null, new: '0102030405', erased: false },
      { field: 'specialty', old: null, new: 'sinistre_complexe', erased: false },
      { field: 'status', old: null, new: 'ON_BREAK', erased: false },
    ]);
    expect(statusChange).toEqual([{ field: 'status', old: 'ON_BREAK', new: 'BUSY', erased: false }]);

    // no event erases an advisor: his key is shredded by hand, as an erasure would
    const vault = vaultOf(h.service.runtime);
    await h.service.runtime.dataSource.transaction((tx) => vault.shred(advisor.id, tx));
    const after = await opened(records);
    for (const [i, r] of records.entries()) {
      if (!r.changes) continue;
      expect(after[i]!.map((c) => c.field)).toEqual(Object.keys(r.changes).sort());
      expect(after[i]!.every((c) => c.erased && c.old === null && c.new === null)).toBe(true);
    }
    // his status still changes; its record names him, without values
    expect(
      (await h.gql(SET_ADVISOR_STATUS, { input: { advisorId: advisor.id, status: 'ON_BREAK' } })).errors,
    ).toBeUndefined();
    expect((await recordsOf(advisor.id)).at(-1)).toMatchObject({
      operation: 'Mutation.setAdvisorStatus',
      outcome: 'ok',
      changes: null,
    });
    // the hash covers the ciphertexts: the chain still verifies
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });
});
