// The audit record of issueContract (docs/security.md, Audit log), over real HTTP and
// PostgreSQL: it names the contract (from the result: the input has no id) and keeps the
// contract's fields as new values, sealed under its client's key (a contract belongs to a
// client); nothing of them in clear, and nothing readable once the client is erased. The chain
// still verifies.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { verifyAuditDatabase, type AuditRow, type FieldChange } from '@crm/db';
import { revealFieldChanges, vaultOf } from '@crm/subgraph';
import {
  ADVISOR,
  ERASE_CLIENT,
  ISSUE_CONTRACT,
  nextMatricule,
  REGISTER_CLIENT,
  startIdentity,
  SUPERVISOR,
} from '../../test/harness';

const h = perFile(() => startIdentity('contract_audit'));

interface Stored {
  seq: string;
  operation: string;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
  changes: Record<string, FieldChange> | null;
}

/**
 * The record's values opened with the service's vault. Their subject is the client, not the
 * record's entity (the contract): the record is read as if it named the client.
 */
async function opened(record: Stored, clientId: string) {
  const revealed = await revealFieldChanges(vaultOf(h.service.runtime), 'contract', [
    { ...record, seq: Number(record.seq), entityId: clientId } as unknown as AuditRow,
  ]);
  return revealed.get(Number(record.seq));
}

describe('the audit record of issueContract', () => {
  it("keeps the contract's fields as new values, sealed under its client's key, unreadable after his erasure", async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const registered = await h.gql(
      REGISTER_CLIENT,
      { input: { matricule: nextMatricule(), lastName: 'Contrat', firstName: 'Audit' } },
      ADVISOR,
    );
    expect(registered.errors).toBeUndefined();
    const clientId = registered.data!.registerClient.id;
    const number = `AUD-${randomUUID().slice(0, 8).toUpperCase()}`;
    const issued = await h.gql(
      ISSUE_CONTRACT,
      {
        input: {
          clientId,
          contractNumber: number,
          type: 'HOME',
          subscribedOn: '2025-01-15',
          expiresOn: '2026-01-14',
          coverages: ['incendie', `garantie ${canary}`],
          thirdPartyDeductible: '150.00',
          collisionDeductible: '300.5',
          propertyDamageCover: true,
          thirdPartyCover: false,
        },
      },
      ADVISOR,
    );
    expect(issued.errors).toBeUndefined();
    const contractId = issued.data!.issueContract.id;

    const records = await h.sql<Stored>(
      `select seq, operation, entity_type as "entityType", entity_id as "entityId", outcome, changes
         from audit_log where operation = 'Mutation.issueContract' and entity_id = $1`,
      [contractId],
    );
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({ entityType: 'Contract', outcome: 'ok' });
    // stored sealed: no value in clear, every one a ciphertext
    expect(JSON.stringify(record)).not.toMatch(new RegExp(`${canary}|${number}|incendie|300\\.50|HOME`));
    for (const change of Object.values(record.changes!)) {
      expect(change.old).toBeNull();
      expect(change.new).toMatch(/^pd1:/);
    }

    // opened with the client's key: every field the contract was issued with (defaults
    // included: its status), as new values; none it was issued without (civilLiabilityCover)
    expect(await opened(record, clientId)).toEqual([
      { field: 'collisionDeductible', old: null, new: '300.50', erased: false },
      { field: 'contractNumber', old: null, new: number, erased: false },
      {
        field: 'coverages',
        old: null,
        new: JSON.stringify(['incendie', `garantie ${canary}`]),
        erased: false,
      },
      { field: 'expiresOn', old: null, new: '2026-01-14', erased: false },
      { field: 'propertyDamageCover', old: null, new: 'true', erased: false },
      { field: 'status', old: null, new: 'ACTIVE', erased: false },
      { field: 'subscribedOn', old: null, new: '2025-01-15', erased: false },
      { field: 'thirdPartyCover', old: null, new: 'false', erased: false },
      { field: 'thirdPartyDeductible', old: null, new: '150.00', erased: false },
      { field: 'type', old: null, new: 'HOME', erased: false },
    ]);

    // the client erased: his key shredded, the record keeps which fields, not the values
    expect((await h.gql(ERASE_CLIENT, { id: clientId }, SUPERVISOR)).errors).toBeUndefined();
    const after = (await opened(record, clientId))!;
    expect(after.map((c) => c.field)).toEqual(Object.keys(record.changes!).sort());
    expect(after.every((c) => c.erased && c.old === null && c.new === null)).toBe(true);
    // the hash covers the ciphertexts: the chain still verifies
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });
});
