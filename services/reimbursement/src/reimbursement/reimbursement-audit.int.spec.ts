// The audit log of the reimbursement service (docs/security.md, Audit log), through the subgraph
// over real HTTP and PostgreSQL: createReimbursement and updateReimbursement leave the values
// they set, old and new, sealed under the claim's key like the reimbursement's words (the record
// names the reimbursement); nothing of them in clear, and nothing readable once the client is
// erased. The chain still verifies.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { verifyAuditDatabase, type AuditRow, type FieldChange } from '@crm/db';
import { revealFieldChanges, vaultOf } from '@crm/subgraph';
import {
  ADVISOR,
  claimOpened,
  contractIssued,
  CREATE_ASSESSED,
  startReimbursement,
  UPDATE_ASSESSED,
  type Harness,
} from '../../test/harness';
import { KNOWN_CLAIMS_CONSUMER } from '../claim/claim.consumer';
import { KNOWN_CONTRACTS_CONSUMER } from '../contract/contract.consumer';
import { ERASURE_CONSUMER } from './erasure.consumer';

const h = perFile(() => startReimbursement('reimb_audit'));

interface Stored {
  seq: string;
  operation: string;
  entityId: string | null;
  outcome: string;
  changes: Record<string, FieldChange> | null;
}

/** the record of one request, as stored */
async function recordOf(correlationId: string): Promise<Stored> {
  const rows = await h.sql<Stored>(
    `select seq, operation, entity_id as "entityId", outcome, changes from audit_log where correlation_id = $1`,
    [correlationId],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/**
 * The record's values opened with the service's vault. Their subject is the claim, not the
 * record's entity (the reimbursement): the record is read as if it named the claim.
 */
async function opened(record: Stored, claimId: string) {
  const revealed = await revealFieldChanges(vaultOf(h.service.runtime), 'reimbursement', [
    { ...record, seq: Number(record.seq), entityId: claimId } as unknown as AuditRow,
  ]);
  return revealed.get(Number(record.seq));
}

async function deliver(consumer: string, ...events: Parameters<Harness['send']>) {
  await h.send(...events);
  await h.processed(consumer, ...events.map((e) => e.id));
}

/** a policyholder's claim, known here with its active contract */
async function knownClaim(clientId: string): Promise<string> {
  const [claimId, contractId] = [randomUUID(), randomUUID()];
  await deliver(
    KNOWN_CONTRACTS_CONSUMER,
    h.event('ContractIssued', contractIssued(contractId, clientId), contractId),
  );
  await deliver(
    KNOWN_CLAIMS_CONSUMER,
    h.event('ClaimOpened', claimOpened(claimId, clientId, contractId), claimId),
  );
  return claimId;
}

describe('the audit records of reimbursements', () => {
  it("keep what was set, old and new, sealed under the claim's key, unreadable after the erasure", async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const clientId = randomUUID();
    const claimId = await knownClaim(clientId);

    const createdCorr = `corr-${randomUUID()}`;
    const created = await h.gql(
      CREATE_ASSESSED,
      { input: { claimId, amountClaimed: '1234.56', paymentMethod: 'BANK_TRANSFER' } },
      ADVISOR,
      { correlationId: createdCorr },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createReimbursement.id;
    expect(created.data!.createReimbursement.status).toBe('PENDING');

    const acceptedCorr = `corr-${randomUUID()}`;
    const accepted = await h.gql(
      UPDATE_ASSESSED,
      {
        input: {
          id,
          status: 'ACCEPTED',
          amountAccepted: '987.65',
          deductibleApplied: '150.00',
          overrideReason: `Geste pour ${canary}`,
        },
      },
      ADVISOR,
      { correlationId: acceptedCorr },
    );
    expect(accepted.errors).toBeUndefined();
    const { acceptedAt } = accepted.data!.updateReimbursement;
    expect(acceptedAt).toEqual(expect.any(String));

    // the same payment method again: nothing changed, a record without values
    const repeatedCorr = `corr-${randomUUID()}`;
    const repeated = await h.gql(
      UPDATE_ASSESSED,
      { input: { id, paymentMethod: 'BANK_TRANSFER' } },
      ADVISOR,
      { correlationId: repeatedCorr },
    );
    expect(repeated.errors).toBeUndefined();

    const creation = await recordOf(createdCorr);
    const acceptance = await recordOf(acceptedCorr);
    // the records name the reimbursement: from the result (createReimbursement's input has no
    // id), from input.id (updateReimbursement)
    expect(creation).toMatchObject({
      operation: 'Mutation.createReimbursement',
      entityId: id,
      outcome: 'ok',
    });
    expect(acceptance).toMatchObject({
      operation: 'Mutation.updateReimbursement',
      entityId: id,
      outcome: 'ok',
    });
    expect(await recordOf(repeatedCorr)).toMatchObject({ entityId: id, outcome: 'ok', changes: null });

    // stored sealed: no value in clear, every one a ciphertext
    expect(Object.keys(creation.changes!).sort()).toEqual(['amountClaimed', 'paymentMethod', 'status']);
    expect(Object.keys(acceptance.changes!).sort()).toEqual([
      'acceptedAt',
      'amountAccepted',
      'deductibleApplied',
      'override',
      'status',
    ]);
    const stored = JSON.stringify([creation, acceptance]);
    for (const clear of [canary, '1234.56', '987.65', '150.00', 'BANK_TRANSFER', 'PENDING', 'ACCEPTED'])
      expect(stored).not.toContain(clear);
    for (const change of [...Object.values(creation.changes!), ...Object.values(acceptance.changes!)])
      for (const value of [change.old, change.new]) if (value !== null) expect(value).toMatch(/^pd1:/);

    // opened with the claim's key: what the reimbursement was created with, as new values
    expect(await opened(creation, claimId)).toEqual([
      { field: 'amountClaimed', old: null, new: '1234.56', erased: false },
      { field: 'paymentMethod', old: null, new: 'BANK_TRANSFER', erased: false },
      { field: 'status', old: null, new: 'PENDING', erased: false },
    ]);
    // then the acceptance: each field it changed, the advisor's reason in the override
    const acceptanceValues = await opened(acceptance, claimId);
    expect(acceptanceValues).toEqual([
      { field: 'acceptedAt', old: null, new: JSON.stringify(acceptedAt), erased: false },
      { field: 'amountAccepted', old: null, new: '987.65', erased: false },
      { field: 'deductibleApplied', old: null, new: '150.00', erased: false },
      { field: 'override', old: null, new: expect.any(String), erased: false },
      { field: 'status', old: 'PENDING', new: 'ACCEPTED', erased: false },
    ]);
    const override = acceptanceValues!.find((c) => c.field === 'override')!.new!;
    expect(JSON.parse(override)).toMatchObject({
      reason: `Geste pour ${canary}`,
      actor: { kind: 'advisor', id: ADVISOR.sub },
      decided: { amountAccepted: '987.65', deductibleApplied: '150.00' },
    });

    // the client erased: his claims' keys shredded, the records keep which fields, not the values
    await deliver(
      ERASURE_CONSUMER,
      h.event(
        'ClientErased',
        { clientId, contractIds: [], erasedAt: '2026-03-01T10:00:00.000Z', reason: 'GDPR_REQUEST' },
        clientId,
      ),
    );
    for (const record of [creation, acceptance]) {
      const after = (await opened(record, claimId))!;
      expect(after.map((c) => c.field)).toEqual(Object.keys(record.changes!).sort());
      expect(after.every((c) => c.erased && c.old === null && c.new === null)).toBe(true);
    }
    // the hash covers the ciphertexts: the chain still verifies
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });

  it("records no values for a reimbursement of an erased client's claim", async () => {
    const clientId = randomUUID();
    const claimId = await knownClaim(clientId);
    await deliver(
      ERASURE_CONSUMER,
      h.event(
        'ClientErased',
        { clientId, contractIds: [], erasedAt: '2026-03-01T10:00:00.000Z', reason: 'GDPR_REQUEST' },
        clientId,
      ),
    );
    // amounts and a status hold no word about him: the reimbursement is made, its values are not
    // sealed under a key that no longer exists
    const corr = `corr-${randomUUID()}`;
    const created = await h.gql(CREATE_ASSESSED, { input: { claimId, amountClaimed: '400.00' } }, ADVISOR, {
      correlationId: corr,
    });
    expect(created.errors).toBeUndefined();
    expect(await recordOf(corr)).toMatchObject({
      operation: 'Mutation.createReimbursement',
      entityId: created.data!.createReimbursement.id,
      outcome: 'ok',
      changes: null,
    });
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });
});
