// Clients over real HTTP against a real PostgreSQL: every query and mutation, their error
// codes, pagination, and the outbox written in the same transaction as the state change.
import { perFile } from '@crm/testing';
import { partnerMessageKey } from '@crm/events';
import { callerOfEvent } from '@crm/subgraph';
import { ClientService } from './client.service';
import { leadField } from '../lead/lead.repository';
import { graphql } from '../../test/generated';
import type {
  ClientFieldsFragment,
  ClientsPageQuery,
  RegisterClientInput,
} from '../../test/generated/graphql';
import {
  ERASE_CLIENT,
  ISSUE_CONTRACT,
  nextMatricule,
  REGISTER_CLIENT,
  startIdentity,
  storedClient,
  SUPERVISOR,
  UPDATE_CLIENT,
} from '../../test/harness';

const h = perFile(() => startIdentity('clients'));

const CLIENT_BY_ID = graphql(`
  query ClientById($id: ID!) {
    client(id: $id) {
      id
      matricule
    }
  }
`);

const CLIENT_BY_MATRICULE = graphql(`
  query ClientByMatricule($m: String!) {
    clientByMatricule(matricule: $m) {
      id
    }
  }
`);

const CLIENTS_PAGE = graphql(`
  query ClientsPage($first: Int, $after: String) {
    clients(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          createdAt
        }
      }
    }
  }
`);

async function register(input: Partial<RegisterClientInput> = {}): Promise<ClientFieldsFragment> {
  const res = await h.gql(REGISTER_CLIENT, {
    input: { matricule: nextMatricule(), lastName: 'Martin', firstName: 'Claire', ...input },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.registerClient;
}

describe('registerClient', () => {
  it('normalizes the matricule, e-mail and phone, stores the client and publishes ClientRegistered', async () => {
    const res = await h.gql(REGISTER_CLIENT, {
      input: {
        matricule: ' xk 481 qz ',
        civility: 'Mme',
        lastName: '  Durand ',
        firstName: 'Sophie',
        birthDate: '1984-03-09',
        email: ' Sophie.Durand@Example.FR ',
        phone: '06 12 34 56 78',
        address: '12 rue des Lilas',
        postalCode: '69003',
        city: 'Lyon',
      },
    });
    expect(res.errors).toBeUndefined();
    const client = res.data!.registerClient;
    expect(client).toMatchObject({
      matricule: 'XK-481-QZ',
      lastName: 'Durand',
      email: 'sophie.durand@example.fr',
      phone: '+33612345678',
      birthDate: '1984-03-09',
      status: 'ACTIVE',
    });
    // the row as stored, decrypted with the client's key (the columns hold ciphertexts)
    const row = await storedClient(h, client.id, ['matricule', 'statut', 'telephone']);
    expect(row).toEqual({ matricule: 'XK-481-QZ', statut: 'actif', telephone: '+33612345678' });

    const events = (await h.outbox('ClientRegistered')).filter((e) => e.subject === client.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'identity',
      actor: { kind: 'advisor', id: 'advisor-42' },
      data: {
        clientId: client.id,
        matricule: 'XK-481-QZ',
        civility: 'Mme',
        lastName: 'Durand',
        firstName: 'Sophie',
        birthDate: '1984-03-09',
        email: 'sophie.durand@example.fr',
        phone: '+33612345678',
        postalCode: '69003',
        city: 'Lyon',
        status: 'ACTIVE',
        registeredAt: client.createdAt,
      },
    });
  });

  it('reports every invalid field at once with VALIDATION.FAILED and writes nothing', async () => {
    const before = (await h.outbox()).length;
    const res = await h.gql(REGISTER_CLIENT, {
      input: {
        matricule: 'A1-23B-CD',
        lastName: '   ',
        firstName: 'x'.repeat(101),
        email: 'not-an-email',
        phone: '12',
        birthDate: '2999-01-01',
      },
    });
    expect(res.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');
    const fields = res.errors![0]!.extensions.details!.problems!.map((p) => p.field).sort();
    expect(fields).toEqual(['birthDate', 'email', 'firstName', 'lastName', 'matricule', 'phone']);
    expect((await h.outbox()).length).toBe(before);
  });

  it('refuses a matricule already registered (any spelling) with CLIENT.MATRICULE_TAKEN and no event', async () => {
    const first = await register();
    const before = (await h.outbox('ClientRegistered')).length;
    const res = await h.gql(REGISTER_CLIENT, {
      input: {
        matricule: first.matricule.toLowerCase().replace(/-/g, ''),
        lastName: 'Autre',
        firstName: 'Personne',
      },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CLIENT.MATRICULE_TAKEN',
      details: { matricule: first.matricule },
    });
    expect((await h.outbox('ClientRegistered')).length).toBe(before);
  });
});

describe('client queries', () => {
  it('finds a client by id and by matricule in any usual spelling', async () => {
    const created = await register();
    const byId = await h.gql(CLIENT_BY_ID, { id: created.id });
    expect(byId.data!.client).toEqual({ id: created.id, matricule: created.matricule });
    const [letters, digits, tail] = created.matricule.split('-');
    for (const spelling of [
      created.matricule,
      `${letters} ${digits} ${tail}`.toLowerCase(),
      `${letters}${digits}${tail}`,
    ]) {
      const res = await h.gql(CLIENT_BY_MATRICULE, { m: spelling });
      expect(res.data!.clientByMatricule).toEqual({ id: created.id });
    }
  });

  it('answers null for unknown ids and matricules, VALIDATION.FAILED for malformed ones', async () => {
    const unknown = await h.gql(
      `{ client(id: "00000000-0000-4000-8000-000000000000") { id } clientByMatricule(matricule: "ZZ-999-ZZ") { id } }`,
    );
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ client: null, clientByMatricule: null });
    const badId = await h.gql(`{ client(id: "42") { id } }`);
    expect(badId.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');
    const badMatricule = await h.gql(`{ clientByMatricule(matricule: "123") { id } }`);
    expect(badMatricule.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION.FAILED',
      details: { problems: [{ field: 'matricule' }] },
    });
  });

  it('pages through clients newest first with keyset cursors, without repeats or gaps', async () => {
    for (let i = 0; i < 5; i += 1) await register({ lastName: `Page${i}` });
    const all = await h.gql(CLIENTS_PAGE, { first: 100 });
    const total = all.data!.clients.totalCount;
    expect(total).toBeGreaterThanOrEqual(5);
    expect(all.data!.clients.edges).toHaveLength(total);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ClientsPageQuery = (await h.gql(CLIENTS_PAGE, { first: 2, after })).data!;
      expect(page.clients.edges.length).toBeLessThanOrEqual(2);
      seen.push(...page.clients.edges.map((e) => e.node.id));
      if (!page.clients.pageInfo.hasNextPage) break;
      after = page.clients.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.data!.clients.edges.map((e) => e.node.id));
    const createdAts = all.data!.clients.edges.map((e) => e.node.createdAt);
    expect([...createdAts].sort().reverse()).toEqual(createdAts);
  });

  it('refuses bad page sizes and cursors with stable codes', async () => {
    const tooMany = await h.gql(`{ clients(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0]?.extensions.code).toBe('PAGINATION.INVALID_SIZE');
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    const badCursor = await h.gql(`query ($after: String) { clients(after: $after) { totalCount } }`, {
      after: forged,
    });
    expect(badCursor.errors?.[0]?.extensions.code).toBe('PAGINATION.INVALID_CURSOR');
  });
});

describe('updateClient', () => {
  it('changes given fields, clears nulls, keeps absent ones, and publishes the whole record', async () => {
    const created = await register({ email: 'a@example.fr', city: 'Paris', phone: '+33 1 23 45 67 89' });
    const res = await h.gql(UPDATE_CLIENT, {
      input: { id: created.id, email: 'NEW@example.fr', city: null, status: 'INACTIVE' },
    });
    expect(res.errors).toBeUndefined();
    const updated = res.data!.updateClient;
    expect(updated).toMatchObject({
      email: 'new@example.fr',
      city: null,
      phone: '+33123456789',
      lastName: 'Martin',
      status: 'INACTIVE',
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    const events = (await h.outbox('ClientUpdated')).filter((e) => e.subject === created.id);
    expect(events).toHaveLength(1);
    const data = events[0]!.data as unknown as Record<string, unknown>;
    expect([...(data.changedFields as string[])].sort()).toEqual(['city', 'email', 'status']);
    expect(data).toMatchObject({ email: 'new@example.fr', phone: '+33123456789', status: 'INACTIVE' });
    expect(data).not.toHaveProperty('city');
  });

  it('applies a change only to the version the caller read: expectedUpdatedAt, WRITE.STALE otherwise', async () => {
    const created = await register({ city: 'Lyon' });
    const first = await h.gql(UPDATE_CLIENT, {
      input: { id: created.id, city: 'Villeurbanne', expectedUpdatedAt: created.updatedAt },
    });
    expect(first.errors).toBeUndefined();
    const moved = first.data!.updateClient;
    expect(moved.city).toBe('Villeurbanne');
    expect(moved.updatedAt).not.toBe(created.updatedAt);

    // a second writer who read the first version: refused, nothing written, no event
    const stale = await h.gql(UPDATE_CLIENT, {
      input: { id: created.id, city: 'Bron', expectedUpdatedAt: created.updatedAt },
    });
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'WRITE.STALE',
      details: { id: created.id, updatedAt: moved.updatedAt },
    });
    const read = await h.gql(CLIENT_BY_ID, { id: created.id });
    expect(read.data!.client?.id).toBe(created.id);
    const rows = [await storedClient(h, created.id, ['ville'])];
    expect(rows).toEqual([{ ville: 'Villeurbanne' }]);
    expect((await h.outbox('ClientUpdated')).filter((e) => e.subject === created.id)).toHaveLength(1);
  });

  it('writes nothing and publishes nothing when nothing changes', async () => {
    const created = await register({ city: 'Nantes' });
    const res = await h.gql(UPDATE_CLIENT, {
      input: { id: created.id, city: ' Nantes ', lastName: 'Martin' },
    });
    expect(res.data!.updateClient.updatedAt).toBe(created.updatedAt);
    expect((await h.outbox('ClientUpdated')).filter((e) => e.subject === created.id)).toHaveLength(0);
  });

  it('answers CLIENT.NOT_FOUND, and VALIDATION.FAILED for a required name set to null or an ERASED status', async () => {
    const missing = await h.gql(UPDATE_CLIENT, {
      input: { id: '00000000-0000-4000-8000-000000000001', city: 'Lille' },
    });
    expect(missing.errors?.[0]?.extensions.code).toBe('CLIENT.NOT_FOUND');
    const created = await register();
    const invalid = await h.gql(UPDATE_CLIENT, {
      input: { id: created.id, lastName: null, status: 'ERASED' },
    });
    expect(invalid.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');
    expect(invalid.errors![0]!.extensions.details!.problems!.map((p) => p.field).sort()).toEqual([
      'lastName',
      'status',
    ]);
  });
});

describe('eraseClient (GDPR)', () => {
  it('wipes personal data, keeps contracts and the row, drops the lead of the same e-mail, publishes ClientErased', async () => {
    const created = await register({
      email: 'erase.me@example.fr',
      phone: '0611223344',
      birthDate: '1970-01-01',
      address: '1 place Bellecour',
      postalCode: '69002',
      city: 'Lyon',
      civility: 'M.',
    });
    const issued = await h.gql(ISSUE_CONTRACT, { input: { clientId: created.id, type: 'AUTO' } });
    const contractId = issued.data!.issueContract.id;
    // the lead of his e-mail (a partner's case named him before he became a client)
    await h.service.parts.leads.upsert(
      { email: 'erase.me@example.fr', source: 'AUDIT_IA', at: new Date('2026-01-01T00:00:00Z') },
      callerOfEvent('identity.leads', { id: 'b'.repeat(64), correlationId: 'corr-erase-lead' }),
    );
    const leadIndex = await h.service.parts.vault.blindIndex(leadField('email'), 'erase.me@example.fr');
    const [lead] = await h.sql<{ id: string }>(`select id from leads where email_bidx = $1`, [leadIndex]);
    expect(lead).toBeDefined();

    const res = await h.gql(ERASE_CLIENT, { id: created.id }, SUPERVISOR);
    expect(res.errors).toBeUndefined();
    const erased = res.data!.eraseClient;
    expect(erased).toMatchObject({
      id: created.id,
      status: 'ERASED',
      lastName: '[effacé]',
      firstName: '[effacé]',
      civility: null,
      birthDate: null,
      email: null,
      phone: null,
      address: null,
      postalCode: null,
      city: null,
      contracts: [{ id: contractId }],
    });
    expect(erased.matricule).toMatch(/^ERASED-[0-9A-F]{13}$/);
    const [row] = await h.service.runtime.dataSource.query<{ json: string }[]>(
      `select row_to_json(c)::text as json from clients c where id = $1`,
      [created.id],
    );
    for (const personal of [
      created.matricule,
      'erase.me',
      '611223344',
      '1970-01-01',
      'Bellecour',
      '69002',
      'Martin',
      'Claire',
    ])
      expect(row!.json).not.toContain(personal);
    // the lead is deleted and its key shredded (copies of its ciphertexts stay unreadable)
    expect(
      await h.sql(`select 1 from leads where email_bidx = $1 or id = $2`, [leadIndex, lead!.id]),
    ).toEqual([]);
    await expect(h.service.parts.vault.writer(lead!.id)).rejects.toThrow('shredded');

    const byMatricule = await h.gql(CLIENT_BY_MATRICULE, { m: created.matricule });
    expect(byMatricule.data).toEqual({ clientByMatricule: null });

    const events = (await h.outbox('ClientErased')).filter((e) => e.subject === created.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      clientId: created.id,
      contractIds: [contractId],
      erasedAt: erased.updatedAt,
      reason: 'GDPR_REQUEST',
      partnerKey: partnerMessageKey('erase.me@example.fr'),
    });
    expect(JSON.stringify(events[0])).not.toContain('erase.me');
  });

  it('is idempotent, refuses later updates and contracts with CLIENT.ERASED, and answers CLIENT.NOT_FOUND for unknown ids', async () => {
    const created = await register();
    await h.gql(ERASE_CLIENT, { id: created.id }, SUPERVISOR);
    const again = await h.gql(ERASE_CLIENT, { id: created.id }, SUPERVISOR);
    expect(again.data!.eraseClient.status).toBe('ERASED');
    expect((await h.outbox('ClientErased')).filter((e) => e.subject === created.id)).toHaveLength(1);

    const update = await h.gql(UPDATE_CLIENT, { input: { id: created.id, city: 'Lyon' } });
    expect(update.errors?.[0]?.extensions.code).toBe('CLIENT.ERASED');
    const issue = await h.gql(ISSUE_CONTRACT, { input: { clientId: created.id, type: 'HOME' } });
    expect(issue.errors?.[0]?.extensions.code).toBe('CLIENT.ERASED');

    const missing = await h.gql(ERASE_CLIENT, { id: '00000000-0000-4000-8000-000000000002' }, SUPERVISOR);
    expect(missing.errors?.[0]?.extensions).toEqual({
      code: 'CLIENT.NOT_FOUND',
      details: { id: '00000000-0000-4000-8000-000000000002' },
    });
  });
});

describe('eraseClient: the cases of the lead erased with the client', () => {
  /** A client whose e-mail a lead shares, the lead linked to `caseIds` (as the consumer links them). */
  async function clientWithLead(email: string, caseIds: readonly string[]) {
    const client = await register({ email });
    const { id: leadId } = await h.service.parts.leads.upsert(
      { email, source: 'AUDIT_IA', at: new Date('2026-01-01T00:00:00Z') },
      callerOfEvent('identity.leads', { id: 'd'.repeat(64), correlationId: `corr-${email}` }),
    );
    await h.sql(`insert into lead_cases (lead_id, case_id) select $1, unnest($2::text[])`, [leadId, caseIds]);
    return { client, leadId };
  }

  const leadErasures = async (leadId: string) =>
    (await h.outbox('LeadErased')).filter((e) => e.type === 'LeadErased' && e.subject === leadId);

  it("ClientErased carries the lead's case ids (leadCaseIds), and no LeadErased is needed", async () => {
    const { client, leadId } = await clientWithLead('cases.client@example.fr', ['case-c2', 'case-c1']);
    const res = await h.gql(ERASE_CLIENT, { id: client.id }, SUPERVISOR);
    expect(res.errors).toBeUndefined();
    const events = (await h.outbox('ClientErased')).filter((e) => e.subject === client.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ version: 3 });
    expect(events[0]!.data).toEqual({
      clientId: client.id,
      contractIds: [],
      erasedAt: res.data!.eraseClient.updatedAt,
      reason: 'GDPR_REQUEST',
      leadCaseIds: ['case-c1', 'case-c2'],
      // his e-mail's digest: claims shreds the partners' dead letters of it
      partnerKey: partnerMessageKey('cases.client@example.fr'),
    });
    // the lead and its links are gone, its key shredded
    expect(await h.sql(`select 1 from lead_cases where lead_id = $1`, [leadId])).toEqual([]);
    await expect(h.service.parts.vault.writer(leadId)).rejects.toThrow('shredded');
    expect(await leadErasures(leadId)).toEqual([]);
  });

  it('tells the cases past the first 500 in LeadErased events naming the client', async () => {
    const caseIds = Array.from({ length: 501 }, (_, i) => `case-${String(i + 1).padStart(4, '0')}`);
    const { client, leadId } = await clientWithLead('many.cases@example.fr', caseIds);
    const res = await h.gql(ERASE_CLIENT, { id: client.id }, SUPERVISOR);
    expect(res.errors).toBeUndefined();
    const [erased] = (await h.outbox('ClientErased')).filter((e) => e.subject === client.id);
    expect(erased!.data).toMatchObject({ clientId: client.id, leadCaseIds: caseIds.slice(0, 500) });
    const more = await leadErasures(leadId);
    expect(more.map((e) => e.data)).toEqual([
      {
        leadRecordId: leadId,
        clientId: client.id,
        caseIds: ['case-0501'],
        partnerKey: partnerMessageKey('many.cases@example.fr'),
        erasedAt: res.data!.eraseClient.updatedAt,
        reason: 'GDPR_REQUEST',
      },
    ]);
    // erasing the erased client again tells nothing more
    await h.gql(ERASE_CLIENT, { id: client.id }, SUPERVISOR);
    expect(await leadErasures(leadId)).toHaveLength(1);
  });
});

describe('the outbox shares the transaction', () => {
  it('keeps neither the client nor its event when publishing fails after the insert', async () => {
    const { dataSource, events } = h.service.runtime;
    const failing = new ClientService({
      dataSource,
      vault: h.service.parts.vault,
      clock: () => new Date(),
      outbox: {
        publish: async (manager, event) => {
          await events.outbox.publish(manager, event);
          throw new Error('broker of record unavailable');
        },
      },
    });
    const matricule = nextMatricule();
    await expect(
      failing.register(
        { matricule, lastName: 'Rollback', firstName: 'Test' },
        callerOfEvent('t', { id: 'e-1', correlationId: 'c-1' }),
      ),
    ).rejects.toThrow('broker of record unavailable');
    expect(await dataSource.query('select 1 from clients where matricule = $1', [matricule])).toEqual([]);
    // the matricule is stored encrypted: the lookup by its blind index is the one that can find it
    expect(await h.service.parts.clients.findByMatricule(matricule)).toBeNull();
    const leaked = (await h.outbox('ClientRegistered')).filter(
      (e) => (e.data as { matricule?: string }).matricule === matricule,
    );
    expect(leaked).toEqual([]);
  });
});
