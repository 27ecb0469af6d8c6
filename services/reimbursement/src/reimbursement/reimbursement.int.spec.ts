// The reimbursement subgraph over real HTTP against a real PostgreSQL database.
import { randomUUID } from 'node:crypto';
import { callerOf, type RunningService } from '@crm/subgraph';
import { CREATE, startReimbursement, UPDATE, type GqlResult, type Harness } from '../../test/harness';
import type { UpdateReimbursementInput } from '../../test/generated/graphql';
import { ReimbursementService } from './reimbursement.service';

let h: Harness;
let service: RunningService;
let sql: string[];

interface OutboxRow {
  event_type: string;
  payload: { source: string; subject: string; actor: unknown; data: Record<string, unknown> };
}

/** For the queries typed nowhere else: lookups, _entities, wrong ids. */
const gql = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
  h.gql<T>(query, variables);
const codeOf = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions.code;

async function create(claimId = randomUUID(), amountClaimed = '2500.00') {
  const r = await h.gql(CREATE, { input: { claimId, amountClaimed } });
  expect(r.errors).toBeUndefined();
  return r.data!.createReimbursement;
}
// some inputs are wrong on purpose (the service's validation answers them)
const update = (input: Record<string, unknown>) =>
  h.gql(UPDATE, { input: input as UpdateReimbursementInput });

/** the events of one reimbursement, their personal fields opened as their consumers read them */
async function outbox(subject: string): Promise<OutboxRow[]> {
  return (await h.outboxRows('message_key = $1', [subject])) as unknown as OutboxRow[];
}

beforeAll(async () => {
  h = await startReimbursement('reimbursement');
  service = h.service;
  sql = h.queries;
});

afterAll(async () => {
  await h?.stop();
});

describe('schema', () => {
  it('creates the seed table with its CHECK constraints and index, plus date_modification and the assessment', async () => {
    const columns: { column_name: string; data_type: string }[] = await service.runtime.dataSource.query(
      `select column_name, data_type from information_schema.columns where table_name = 'remboursements' order by ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id',
      'sinistre_id',
      'montant_reclame',
      'montant_accepte',
      'franchise_appliquee',
      'motif_rejet',
      'date_acceptation',
      'date_paiement',
      'moyen_paiement',
      'statut',
      'date_creation',
      // not in the seed's DDL: the version a writer checks (migration 1765000000000)
      'date_modification',
      // issue 19 (migration 1766000000000): the contract's assessment, the advisor's override, who requested it
      'evaluation',
      'derogation',
      'origine',
    ]);
    const [index] = await service.runtime.dataSource.query(
      `select indexdef from pg_indexes where indexname = 'idx_remboursement_sinistre'`,
    );
    expect(index.indexdef).toContain('(sinistre_id)');
    await expect(
      service.runtime.dataSource.query(
        `insert into remboursements (sinistre_id, statut) values (gen_random_uuid(), 'paid')`,
      ),
    ).rejects.toThrow(/chk_remboursements_statut/);
    await expect(
      service.runtime.dataSource.query(
        `insert into remboursements (sinistre_id, moyen_paiement) values (gen_random_uuid(), 'espèces')`,
      ),
    ).rejects.toThrow(/chk_remboursements_moyen_paiement/);
  });
});

describe('createReimbursement', () => {
  it('creates a PENDING reimbursement and writes ReimbursementCreated in the same transaction', async () => {
    const claimId = randomUUID();
    const r = await h.gql(CREATE, {
      input: { claimId, amountClaimed: '1234.5', paymentMethod: 'CHEQUE' },
    });
    expect(r.errors).toBeUndefined();
    const created = r.data!.createReimbursement;
    expect(created).toMatchObject({
      claim: { id: claimId },
      amountClaimed: '1234.50',
      amountAccepted: null,
      status: 'PENDING',
      paymentMethod: 'CHEQUE',
    });
    const [row] = await service.runtime.dataSource.query(
      `select statut, moyen_paiement from remboursements where id = $1`,
      [created.id],
    );
    expect(row).toEqual({ statut: 'en_attente', moyen_paiement: 'chèque' });
    const events = await outbox(created.id);
    expect(events.map((e) => e.event_type)).toEqual(['ReimbursementCreated']);
    expect(events[0]!.payload).toMatchObject({
      source: 'reimbursement',
      subject: created.id,
      actor: { kind: 'advisor', id: 'adv-42' },
      data: { reimbursementId: created.id, claimId, amountClaimedCents: 123450, currency: 'EUR' },
    });
  });

  it('reports every invalid field with VALIDATION.FAILED', async () => {
    const r = await h.gql(CREATE, { input: { claimId: 'not-a-uuid', amountClaimed: '-3' } });
    expect(codeOf(r)).toBe('VALIDATION.FAILED');
    expect(r.errors![0]!.extensions.details!.problems!.map((p) => p.field).sort()).toEqual([
      'amountClaimed',
      'claimId',
    ]);
  });

  it('writes neither the row nor the event when the transaction fails', async () => {
    const failing = new ReimbursementService({
      ...service.runtime,
      events: {
        ...service.runtime.events,
        outbox: {
          publish: () => Promise.reject(new Error('outbox unavailable')),
        } as unknown as typeof service.runtime.events.outbox,
      },
    });
    const claimId = randomUUID();
    await expect(
      failing.create(
        { claimId, amountClaimed: '10.00', paymentMethod: undefined, overrideReason: undefined },
        callerOf({ principal: { sub: 'a', roles: ['advisor'] }, correlationId: randomUUID() }),
      ),
    ).rejects.toThrow('outbox unavailable');
    const rows: unknown[] = await service.runtime.dataSource.query(
      `select id from remboursements where sinistre_id = $1`,
      [claimId],
    );
    expect(rows).toHaveLength(0);
  });
});

describe('updateReimbursement', () => {
  it('walks PENDING -> ACCEPTED -> PAID with dates and one event per transition', async () => {
    const created = await create();
    const accepted = await update({
      id: created.id,
      status: 'ACCEPTED',
      amountAccepted: '2000',
      deductibleApplied: '150',
    });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.updateReimbursement).toMatchObject({
      status: 'ACCEPTED',
      amountAccepted: '2000.00',
      deductibleApplied: '150.00',
      paidAt: null,
    });
    expect(accepted.data!.updateReimbursement.acceptedAt).toEqual(expect.any(String));

    const paid = await update({ id: created.id, status: 'PAID', paymentMethod: 'BANK_TRANSFER' });
    expect(paid.errors).toBeUndefined();
    const p = paid.data!.updateReimbursement;
    expect(p).toMatchObject({ status: 'PAID', paymentMethod: 'BANK_TRANSFER' });
    expect(Date.parse(p.paidAt!)).toBeGreaterThanOrEqual(Date.parse(p.acceptedAt!));

    const events = await outbox(created.id);
    expect(events.map((e) => e.event_type)).toEqual([
      'ReimbursementCreated',
      'ReimbursementAccepted',
      'ReimbursementSettled',
    ]);
    expect(events[2]!.payload.data).toEqual({
      reimbursementId: created.id,
      claimId: created.claim.id,
      amountCents: 185000,
      amountAcceptedCents: 200000,
      deductibleCents: 15000,
      currency: 'EUR',
      settledAt: p.paidAt,
      paymentMethod: 'BANK_TRANSFER',
    });
  });

  it('rejects with a reason (ReimbursementRejected) and refuses one without', async () => {
    const created = await create();
    expect(codeOf(await update({ id: created.id, status: 'REJECTED' }))).toBe(
      'REIMBURSEMENT.REJECTION_REASON_REQUIRED',
    );
    const rejected = await update({ id: created.id, status: 'REJECTED', rejectionReason: 'Hors garantie' });
    expect(rejected.data!.updateReimbursement).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Hors garantie',
    });
    const events = await outbox(created.id);
    expect(events.map((e) => e.event_type)).toEqual(['ReimbursementCreated', 'ReimbursementRejected']);
    expect(events[1]!.payload.data).toMatchObject({ reason: 'Hors garantie', previousStatus: 'PENDING' });
  });

  it('refuses invalid transitions and amounts with stable codes, writing no event', async () => {
    const created = await create(randomUUID(), '100.00');
    const skip = await update({ id: created.id, status: 'PAID', paymentMethod: 'CHEQUE' });
    expect(codeOf(skip)).toBe('REIMBURSEMENT.INVALID_TRANSITION');
    expect(skip.errors![0]!.extensions.details).toMatchObject({ from: 'PENDING', to: 'PAID' });
    expect(codeOf(await update({ id: created.id, status: 'ACCEPTED', amountAccepted: '100.01' }))).toBe(
      'REIMBURSEMENT.AMOUNT_EXCEEDS_CLAIM',
    );
    expect(
      codeOf(
        await update({ id: created.id, status: 'ACCEPTED', amountAccepted: '50', deductibleApplied: '60' }),
      ),
    ).toBe('REIMBURSEMENT.DEDUCTIBLE_EXCEEDS_AMOUNT');
    expect(codeOf(await update({ id: created.id, deductibleApplied: '-1' }))).toBe('VALIDATION.FAILED');
    expect((await outbox(created.id)).map((e) => e.event_type)).toEqual(['ReimbursementCreated']);
    const [row] = await service.runtime.dataSource.query(`select statut from remboursements where id = $1`, [
      created.id,
    ]);
    expect(row.statut).toBe('en_attente');
  });

  it('edits a pending request (ReimbursementUpdated) and ignores a repeated one', async () => {
    const created = await create();
    const edited = await update({ id: created.id, amountClaimed: '2600' });
    expect(edited.data!.updateReimbursement.amountClaimed).toBe('2600.00');
    const again = await update({ id: created.id, amountClaimed: '2600.00' });
    expect(again.errors).toBeUndefined();
    const events = await outbox(created.id);
    expect(events.map((e) => e.event_type)).toEqual(['ReimbursementCreated', 'ReimbursementUpdated']);
    expect(events[1]!.payload.data.changedFields).toEqual(['amountClaimed']);
  });

  it('serialises concurrent transitions: of PAID and REJECTED racing, exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await create();
      await update({ id: created.id, status: 'ACCEPTED', amountAccepted: '10' });
      const results = await Promise.all([
        update({ id: created.id, status: 'REJECTED', rejectionReason: 'doublon' }),
        update({ id: created.id, status: 'PAID', paymentMethod: 'CHEQUE' }),
      ]);
      const failures = results.filter((r) => r.errors);
      expect(failures.map(codeOf)).toEqual(['REIMBURSEMENT.INVALID_TRANSITION']);
      const events = (await outbox(created.id)).map((e) => e.event_type);
      expect(events).toHaveLength(3);
      expect(['ReimbursementRejected', 'ReimbursementSettled']).toContain(events[2]);
    }
  });

  it('applies a change only to the version the caller read: expectedUpdatedAt, WRITE.STALE otherwise', async () => {
    const created = await create(randomUUID(), '900.00');
    expect(created.updatedAt).toBe(created.createdAt);
    const accepted = await update({
      id: created.id,
      status: 'ACCEPTED',
      amountAccepted: '800.00',
      expectedUpdatedAt: created.updatedAt,
    });
    expect(accepted.errors).toBeUndefined();
    const now = accepted.data!.updateReimbursement;
    expect(Date.parse(now.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

    // a second writer who read the pending request: refused, nothing written, no event
    const before = await outbox(created.id);
    const stale = await update({
      id: created.id,
      status: 'REJECTED',
      rejectionReason: 'hors garantie',
      expectedUpdatedAt: '2000-01-01T00:00:00.000Z',
    });
    expect(codeOf(stale)).toBe('WRITE.STALE');
    const rows: { statut: string }[] = await service.runtime.dataSource.query(
      `select statut from remboursements where id = $1`,
      [created.id],
    );
    expect(rows).toEqual([{ statut: 'accepté' }]);
    expect(await outbox(created.id)).toHaveLength(before.length);
  });

  it('answers REIMBURSEMENT.NOT_FOUND for an unknown id', async () => {
    const id = randomUUID();
    const r = await update({ id, status: 'ACCEPTED', amountAccepted: '1' });
    expect(r.errors![0]!.extensions).toEqual({ code: 'REIMBURSEMENT.NOT_FOUND', details: { id } });
  });
});

describe('queries', () => {
  it('reads one reimbursement and the reimbursements of a claim, oldest first', async () => {
    const claimId = randomUUID();
    const first = await create(claimId, '10.00');
    const second = await create(claimId, '20.00');
    await create();
    const one = await gql(`query($id: ID!) { reimbursement(id: $id) { id amountClaimed } }`, {
      id: first.id,
    });
    expect(one.data!.reimbursement).toEqual({ id: first.id, amountClaimed: '10.00' });
    const byClaim = await gql(`query($c: ID!) { reimbursementsByClaim(claimId: $c) { id } }`, { c: claimId });
    expect(byClaim.data!.reimbursementsByClaim).toEqual([{ id: first.id }, { id: second.id }]);
    const none = await gql(`query($id: ID!) { reimbursement(id: $id) { id } }`, { id: randomUUID() });
    expect(none.data!.reimbursement).toBeNull();
    expect(codeOf(await gql(`{ reimbursement(id: "42") { id } }`))).toBe('VALIDATION.FAILED');
  });
});

describe('_entities', () => {
  it('resolves Reimbursement by id', async () => {
    const created = await create();
    const r = await gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Reimbursement { id status claim { id } } } }`,
      {
        reps: [
          { __typename: 'Reimbursement', id: created.id },
          { __typename: 'Reimbursement', id: randomUUID() },
        ],
      },
    );
    expect(r.data!._entities).toEqual([
      { id: created.id, status: 'PENDING', claim: { id: created.claim.id } },
      null,
    ]);
  });

  it('resolves Claim.reimbursements for many claims in one batched query', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const ra = await create(a);
    const rb1 = await create(b);
    const rb2 = await create(b);
    sql.length = 0;
    const r = await gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Claim { id reimbursements { id } } } }`,
      {
        reps: [
          { __typename: 'Claim', id: a },
          { __typename: 'Claim', id: b },
          { __typename: 'Claim', id: randomUUID() },
        ],
      },
    );
    expect(r.data!._entities).toEqual([
      { id: a, reimbursements: [{ id: ra.id }] },
      { id: b, reimbursements: [{ id: rb1.id }, { id: rb2.id }] },
      { id: expect.any(String), reimbursements: [] },
    ]);
    expect(sql.filter((q) => q.includes('"remboursements"'))).toHaveLength(1);
  });
});

describe('health', () => {
  it('is live and ready', async () => {
    expect((await fetch(service.url.replace('/graphql', '/health/ready'))).status).toBe(200);
    expect((await fetch(service.url.replace('/graphql', '/health/live'))).status).toBe(200);
  });
});
