// The audit log of the claims service (docs/security.md, Audit log), through the subgraph over
// real HTTP and PostgreSQL: each mutation, and each staff read of a claim file, leaves a record
// with the principal and the correlation id; the chain verifies.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { verifyAuditDatabase, type AuditRow, type FieldChange } from '@crm/db';
import { revealFieldChanges, vaultOf } from '@crm/subgraph';
import { graphql } from '../../test/generated';
import { ERASURE_CONSUMER } from '../erasure/erasure.consumer';
import {
  ADVISOR,
  ARCHIVE_CLAIM,
  CHANGE_CLAIM_STATUS,
  CLAIM,
  declaration,
  GATEWAY,
  OPEN_CLAIM,
  RECORD_CLAIM_ACTIVITY,
  startClaims,
  UPDATE_CLAIM,
} from '../../test/harness';

const CLAIMS_LIST = graphql(`
  query AuditClaimsList {
    claims(first: 1) {
      totalCount
    }
  }
`);

const SET_ACTION_STATUS = graphql(`
  mutation AuditSetActionStatus($input: SetRecommendedActionStatusInput!) {
    setRecommendedActionStatus(input: $input) {
      id
      status
      executedAt
    }
  }
`);

const AUDIT_TRAIL = graphql(`
  query AuditTrailChanges($id: ID!) {
    claim(id: $id) {
      auditTrail {
        operation
        changes {
          field
          old
          new
          erased
        }
      }
    }
  }
`);

interface AuditLogRow {
  seq: string;
  principal: string;
  roles: string[];
  operation: string;
  operation_name: string | null;
  entity_type: string | null;
  entity_id: string | null;
  outcome: string;
  correlation_id: string;
}

const h = perFile(() => startClaims('audit'));

/** the records of one request */
const recordsOf = (correlationId: string) =>
  h.sql<AuditLogRow>(
    `select seq, principal, roles, operation, operation_name, entity_type, entity_id, outcome, correlation_id
       from audit_log where correlation_id = $1 order by seq`,
    [correlationId],
  );

describe('the claims audit log', () => {
  it('records a mutation with its principal, correlation id, entity and outcome', async () => {
    const correlationId = `corr-${randomUUID()}`;
    const res = await h.gql(OPEN_CLAIM, { input: declaration() }, ADVISOR, { correlationId });
    const claimId = res.data!.openClaim.id;
    expect(await recordsOf(correlationId)).toEqual([
      expect.objectContaining({
        principal: ADVISOR.sub,
        roles: ['advisor'],
        operation: 'Mutation.openClaim',
        operation_name: 'OpenClaim',
        entity_type: 'Claim',
        entity_id: claimId, // from the result: openClaim's input has no id
        outcome: 'ok',
        correlation_id: correlationId,
      }),
    ]);
  });

  it('records a failed mutation with the error code its caller got, the entity from the arguments', async () => {
    const correlationId = `corr-${randomUUID()}`;
    const missing = randomUUID();
    const res = await h.gql(ARCHIVE_CLAIM, { id: missing }, ADVISOR, { correlationId });
    expect(res.errors?.[0]?.extensions.code).toBe('CLAIM.NOT_FOUND');
    expect(await recordsOf(correlationId)).toEqual([
      expect.objectContaining({
        operation: 'Mutation.archiveClaim',
        entity_id: missing,
        outcome: 'CLAIM.NOT_FOUND',
      }),
    ]);
  });

  it('records a refused mutation and each root field of a request (aliases)', async () => {
    const correlationId = `corr-${randomUUID()}`;
    const [a, b] = [randomUUID(), randomUUID()];
    const client = { sub: randomUUID(), roles: ['client' as const] };
    const res = await h.gql(
      `mutation Twice($a: ID!, $b: ID!) { first: archiveClaim(id: $a) { id } second: archiveClaim(id: $b) { id } }`,
      { a, b },
      client,
      { correlationId },
    );
    // the first refusal nulls the whole answer (archiveClaim is non-null): the second never ran
    expect(res.errors?.map((e) => e.extensions.code)).toEqual(['AUTH.FORBIDDEN']);
    expect(await recordsOf(correlationId)).toEqual([
      expect.objectContaining({
        principal: client.sub,
        roles: ['client'],
        operation_name: 'Twice',
        entity_id: a,
        outcome: 'AUTH.FORBIDDEN',
      }),
      expect.objectContaining({ principal: client.sub, entity_id: b, outcome: 'SKIPPED' }),
    ]);
  });

  it('records a staff read of a claim file, not the system’s, nor a list', async () => {
    const claim = await h.open();
    const [staffRead, systemRead, listRead] = [randomUUID(), randomUUID(), randomUUID()];
    expect(
      (await h.gql(CLAIM, { id: claim.id }, ADVISOR, { correlationId: staffRead })).errors,
    ).toBeUndefined();
    expect(
      (await h.gql(CLAIM, { id: claim.id }, GATEWAY, { correlationId: systemRead })).errors,
    ).toBeUndefined();
    expect((await h.gql(CLAIMS_LIST, {}, ADVISOR, { correlationId: listRead })).errors).toBeUndefined();
    expect(await recordsOf(staffRead)).toEqual([
      expect.objectContaining({
        principal: ADVISOR.sub,
        operation: 'Query.claim',
        entity_id: claim.id,
        outcome: 'ok',
      }),
    ]);
    expect(await recordsOf(systemRead)).toEqual([]);
    expect(await recordsOf(listRead)).toEqual([]);
  });

  it('shows a claim’s trail to supervisors only, newest first', async () => {
    const claim = await h.open();
    const read = `corr-${randomUUID()}`;
    await h.gql(CLAIM, { id: claim.id }, ADVISOR, { correlationId: read });
    const trail = `query AuditTrail($id: ID!) {
      claim(id: $id) { auditTrail { seq operation principal outcome correlationId changedFields hash } }
    }`;
    const supervisor = { sub: 'sup-1', roles: ['supervisor' as const] };
    const res = await h.gql<{ claim: { auditTrail: Record<string, unknown>[] } }>(
      trail,
      { id: claim.id },
      supervisor,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.claim.auditTrail.map((r) => r.operation)).toEqual(['Query.claim', 'Mutation.openClaim']);
    expect(res.data!.claim.auditTrail[0]).toMatchObject({
      principal: ADVISOR.sub,
      outcome: 'ok',
      correlationId: read,
      changedFields: [],
    });
    const refused = await h.gql(trail, { id: claim.id }, ADVISOR);
    expect(refused.errors?.[0]?.extensions.code).toBe('AUTH.FORBIDDEN');
  });

  it("keeps a change's old and new values sealed under the claim's key: read by supervisors, unreadable after the erasure", async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const clientId = randomUUID();
    const claim = await h.open({
      clientId,
      description: `choc léger, vu par ${canary}`,
      estimatedDamage: '800',
    });
    const corr = `corr-${randomUUID()}`;
    const updated = await h.gql(
      UPDATE_CLAIM,
      { input: { id: claim.id, description: `choc arrière, dit ${canary}`, estimatedDamage: '1200.50' } },
      ADVISOR,
      { correlationId: corr },
    );
    expect(updated.errors).toBeUndefined();
    const moved = await h.gql(
      `mutation($input: ChangeClaimStatusInput!) { changeClaimStatus(input: $input) { id } }`,
      { input: { id: claim.id, status: 'AWAITING_CLIENT', reason: 'photos' } },
    );
    expect(moved.errors).toBeUndefined();
    // stored sealed: the audit log holds no value in clear
    const [stored] = await h.sql<{ changes: Record<string, { old: string | null; new: string | null }> }>(
      `select changes from audit_log where correlation_id = $1`,
      [corr],
    );
    expect(Object.keys(stored!.changes).sort()).toEqual(['description', 'estimatedDamage']);
    expect(JSON.stringify(stored)).not.toContain(canary);
    expect(stored!.changes.description!.new).toMatch(/^pd1:/);

    type Trail = {
      claim: {
        auditTrail: {
          operation: string;
          changes: { field: string; old: string | null; new: string | null; erased: boolean }[];
        }[];
      };
    };
    const trail = `query($id: ID!) { claim(id: $id) { auditTrail { operation changes { field old new erased } } } }`;
    const supervisor = { sub: 'sup-1', roles: ['supervisor' as const] };
    const read = await h.gql<Trail>(trail, { id: claim.id }, supervisor);
    expect(read.errors).toBeUndefined();
    const changesOf = (t: Trail, operation: string) =>
      t.claim.auditTrail.find((r) => r.operation === operation)!.changes;
    expect(changesOf(read.data!, 'Mutation.updateClaim')).toEqual([
      {
        field: 'description',
        old: `choc léger, vu par ${canary}`,
        new: `choc arrière, dit ${canary}`,
        erased: false,
      },
      { field: 'estimatedDamage', old: '800.00', new: '1200.50', erased: false },
    ]);
    // the opening: what the claim was opened with, as new values
    expect(changesOf(read.data!, 'Mutation.openClaim')).toEqual(
      expect.arrayContaining([
        { field: 'description', old: null, new: `choc léger, vu par ${canary}`, erased: false },
        { field: 'estimatedDamage', old: null, new: '800.00', erased: false },
      ]),
    );
    expect(changesOf(read.data!, 'Mutation.changeClaimStatus')).toContainEqual(
      expect.objectContaining({ field: 'status', new: expect.stringMatching(/\S/), erased: false }),
    );

    // the client erased: his claim's key is shredded, the trail keeps which fields, not the values
    const erasure = h.event(
      'ClientErased',
      {
        clientId,
        contractIds: [],
        erasedAt: '2026-03-01T09:00:00.000Z',
        reason: 'GDPR_REQUEST',
      },
      clientId,
    );
    await h.send(erasure);
    await h.processed(ERASURE_CONSUMER, erasure.id);
    const after = await h.gql<Trail>(trail, { id: claim.id }, supervisor);
    expect(changesOf(after.data!, 'Mutation.updateClaim')).toEqual([
      { field: 'description', old: null, new: null, erased: true },
      { field: 'estimatedDamage', old: null, new: null, erased: true },
    ]);
    // and the chain still verifies: the hash covers the ciphertexts
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });

  it("keeps a recorded activity's and an action's values sealed under the claim's key, unreadable after the erasure", async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const clientId = randomUUID();
    const claim = await h.open({ clientId, injuries: true, photoUrls: [] });
    const waiting = await h.gql(CHANGE_CLAIM_STATUS, {
      input: { id: claim.id, status: 'AWAITING_CLIENT', reason: 'constat' },
    });
    expect(waiting.errors).toBeUndefined();
    const sealedChanges = async (correlationId: string) => {
      const rows = await h.sql<{
        seq: string;
        entity_type: string;
        entity_id: string;
        changes: Record<string, FieldChange>;
      }>(`select seq, entity_type, entity_id, changes from audit_log where correlation_id = $1`, [
        correlationId,
      ]);
      expect(rows).toHaveLength(1);
      return rows[0]!;
    };
    /** a record's values opened with the service's vault, sealed as `entity` under the claim's key */
    const open = async (row: { seq: string; changes: Record<string, FieldChange> }, entity: string) =>
      (
        await revealFieldChanges(vaultOf(h.service.runtime), entity, [
          { seq: Number(row.seq), entityId: claim.id, changes: row.changes } as AuditRow,
        ])
      ).get(Number(row.seq));

    // the documents come in: the entry, and the claim it sends back to work
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const activityCorr = `corr-${randomUUID()}`;
    const recorded = await h.gql(
      RECORD_CLAIM_ACTIVITY,
      { input: { claimId: claim.id, kind: 'DOCUMENTS_RECEIVED', detail: `constat signé par ${canary}`, at } },
      ADVISOR,
      { correlationId: activityCorr },
    );
    expect(recorded.errors).toBeUndefined();
    const activity = await sealedChanges(activityCorr);
    // the claim's record (recordClaimActivity answers the claim), sealed: nothing in clear
    expect(activity).toMatchObject({ entity_type: 'Claim', entity_id: claim.id });
    expect(Object.keys(activity.changes).sort()).toEqual(['at', 'detail', 'kind', 'status']);
    expect(JSON.stringify(activity)).not.toContain(canary);
    expect(JSON.stringify(activity)).not.toContain('"DOCUMENTS_RECEIVED"');
    expect(activity.changes.detail!.new).toMatch(/^pd1:/);
    expect(activity.changes.status!.old).toMatch(/^pd1:/);
    const resumed = recorded.data!.recordClaimActivity.status === 'EXPERT_REVIEW' ? 'expert' : 'en_cours';
    expect(await open(activity, 'activity')).toEqual([
      { field: 'at', old: null, new: at, erased: false },
      { field: 'detail', old: null, new: `constat signé par ${canary}`, erased: false },
      { field: 'kind', old: null, new: 'DOCUMENTS_RECEIVED', erased: false },
      { field: 'status', old: 'en_attente_client', new: resumed, erased: false },
    ]);

    // an advisor marks an action done: the action's record, under its claim's key (one still
    // pending: the documents received may have closed some)
    const action = recorded.data!.recordClaimActivity.recommendedActions.find((a) => a.status === 'PENDING')!;
    expect(action).toBeDefined();
    const actionCorr = `corr-${randomUUID()}`;
    const done = await h.gql(SET_ACTION_STATUS, { input: { actionId: action.id, status: 'DONE' } }, ADVISOR, {
      correlationId: actionCorr,
    });
    expect(done.errors).toBeUndefined();
    const executedAt = done.data!.setRecommendedActionStatus.executedAt as string;
    const status = await sealedChanges(actionCorr);
    expect(status).toMatchObject({ entity_type: 'RecommendedAction', entity_id: action.id });
    expect(Object.keys(status.changes).sort()).toEqual(['executedAt', 'status']);
    for (const clear of ['"en_attente"', '"faite"', executedAt])
      expect(JSON.stringify(status)).not.toContain(clear);
    expect(await open(status, 'recommendedAction')).toEqual([
      // a date as the audit stores one: its quoted ISO form
      { field: 'executedAt', old: null, new: JSON.stringify(executedAt), erased: false },
      { field: 'status', old: 'en_attente', new: 'faite', erased: false },
    ]);

    // the claim's trail opens the activity's values as the entity they were sealed as
    const supervisor = { sub: 'sup-1', roles: ['supervisor' as const] };
    const changesOf = async (operation: string) => {
      const read = await h.gql(AUDIT_TRAIL, { id: claim.id }, supervisor);
      expect(read.errors).toBeUndefined();
      return read.data!.claim!.auditTrail.find((r) => r.operation === operation)!.changes;
    };
    expect(await changesOf('Mutation.recordClaimActivity')).toContainEqual({
      field: 'detail',
      old: null,
      new: `constat signé par ${canary}`,
      erased: false,
    });

    // the client erased: his claim's key is shredded, the records keep which fields, not the values
    const erasure = h.event(
      'ClientErased',
      { clientId, contractIds: [], erasedAt: '2026-03-01T09:00:00.000Z', reason: 'GDPR_REQUEST' },
      clientId,
    );
    await h.send(erasure);
    await h.processed(ERASURE_CONSUMER, erasure.id);
    expect(await changesOf('Mutation.recordClaimActivity')).toEqual(
      ['at', 'detail', 'kind', 'status'].map((field) => ({ field, old: null, new: null, erased: true })),
    );
    expect(await open(status, 'recommendedAction')).toEqual([
      { field: 'executedAt', old: null, new: null, erased: true },
      { field: 'status', old: null, new: null, erased: true },
    ]);
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });

  it('keeps one gap-free chain under concurrent mutations, and the chain verifies', async () => {
    const before = await h.sql<{ n: number }>('select count(*)::int as n from audit_log');
    await Promise.all(Array.from({ length: 6 }, () => h.open()));
    const seqs = (await h.sql<{ seq: string }>('select seq from audit_log order by seq')).map((r) =>
      Number(r.seq),
    );
    expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
    expect(seqs.length).toBe(before[0]!.n + 6);
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true, records: seqs.length });
  });

  it('writes the records of 40 concurrent mutations within a pool of 3 connections (DATABASE_POOL_MAX)', async () => {
    const small = await startClaims('audit-pool', { env: { DATABASE_POOL_MAX: '3' } });
    try {
      const db = (await small.sql<{ db: string }>('select current_database() as db'))[0]!.db;
      const inUse = () =>
        small.sql<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'crm-claims'`,
          [db],
        );
      let peak = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, (await inUse())[0]!.n);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const opened = await Promise.all(Array.from({ length: 40 }, () => small.open()));
      sampling = false;
      await sampler;
      expect(opened).toHaveLength(40);
      // the sampler's queries share the service's pool: together they never pass its bound
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(3);
      const records = await small.sql<{ n: number }>(
        `select count(*)::int as n from audit_log where operation = 'Mutation.openClaim'`,
      );
      expect(records[0]!.n).toBe(40);
      expect(await verifyAuditDatabase(small.db.url)).toMatchObject({ ok: true });
    } finally {
      await small.stop();
    }
  });
});
