// The identity service's audit log on a client (docs/security.md, Audit log), over real HTTP and
// PostgreSQL: changes and staff reads of a client's file are recorded, the policyholder's own
// reads are not, and supervisors alone read the trail through the graph. setClientPin leaves
// whether he had a code and has one, sealed, never the code.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@crm/auth';
import { verifyAuditDatabase } from '@crm/db';
import {
  ADVISOR,
  ERASE_CLIENT,
  nextMatricule,
  REGISTER_CLIENT,
  startIdentity,
  SUPERVISOR,
  UPDATE_CLIENT,
} from '../../test/harness';
import { graphql } from '../../test/generated';

const h = perFile(() => startIdentity('client_audit'));

const SET_PIN = graphql(`
  mutation AuditSetClientPin($input: SetClientPinInput!) {
    setClientPin(input: $input) {
      id
    }
  }
`);

const CLIENT_READ = `query ReadClient($id: ID!) { client(id: $id) { id lastName } }`;
const TRAIL = `query ClientTrail($id: ID!) {
  client(id: $id) { auditTrail { seq operation operationName principal roles outcome entityType entityId correlationId hash } }
}`;

interface TrailRecord {
  operation: string;
  principal: string;
  outcome: string;
  entityId: string | null;
  correlationId: string;
}

describe("a client's audit trail", () => {
  it('holds the changes and the staff reads of the file, newest first, for supervisors only', async () => {
    const registered = `corr-${randomUUID()}`;
    const res = await h.gql(
      REGISTER_CLIENT,
      { input: { matricule: nextMatricule(), lastName: 'Audit', firstName: 'Trail' } },
      ADVISOR,
      { correlationId: registered },
    );
    expect(res.errors).toBeUndefined();
    const id = res.data!.registerClient.id;
    const updated = `corr-${randomUUID()}`;
    expect(
      (await h.gql(UPDATE_CLIENT, { input: { id, city: 'Lyon' } }, ADVISOR, { correlationId: updated }))
        .errors,
    ).toBeUndefined();
    const staffRead = `corr-${randomUUID()}`;
    expect((await h.gql(CLIENT_READ, { id }, ADVISOR, { correlationId: staffRead })).errors).toBeUndefined();
    // the policyholder reading his own file is not a staff access
    const himself: Principal = { sub: id, roles: ['client'] };
    expect((await h.gql(CLIENT_READ, { id }, himself)).errors).toBeUndefined();

    const trail = await h.gql<{ client: { auditTrail: TrailRecord[] } }>(TRAIL, { id }, SUPERVISOR);
    expect(trail.errors).toBeUndefined();
    expect(trail.data!.client.auditTrail).toEqual([
      expect.objectContaining({
        operation: 'Query.client',
        principal: ADVISOR.sub,
        correlationId: staffRead,
      }),
      expect.objectContaining({ operation: 'Mutation.updateClient', entityId: id, correlationId: updated }),
      expect.objectContaining({
        operation: 'Mutation.registerClient',
        entityId: id,
        outcome: 'ok',
        correlationId: registered,
      }),
    ]);

    const refused = await h.gql(TRAIL, { id }, ADVISOR);
    expect(refused.errors?.[0]?.extensions.code).toBe('AUTH.FORBIDDEN');
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });

  it("keeps a change's old and new values encrypted under the client's key, readable by supervisors until the erasure", async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const res = await h.gql(
      REGISTER_CLIENT,
      { input: { matricule: nextMatricule(), lastName: 'Valeurs', firstName: 'Audit', city: 'Nantes' } },
      ADVISOR,
    );
    expect(res.errors).toBeUndefined();
    const id = res.data!.registerClient.id;
    const update = await h.gql(
      UPDATE_CLIENT,
      { input: { id, city: canary, phone: '06 12 34 56 78' } },
      ADVISOR,
    );
    expect(update.errors).toBeUndefined();
    // nothing changed: a record without changes
    expect((await h.gql(UPDATE_CLIENT, { input: { id, city: canary } }, ADVISOR)).errors).toBeUndefined();

    const CHANGES = `query ClientChanges($id: ID!) {
      client(id: $id) { auditTrail { operation changedFields changes { field old new erased } } }
    }`;
    type Trail = {
      client: { auditTrail: { operation: string; changedFields: string[]; changes: unknown[] }[] };
    };
    const updates = async () =>
      (await h.gql<Trail>(CHANGES, { id }, SUPERVISOR)).data!.client.auditTrail.filter(
        (r) => r.operation === 'Mutation.updateClient',
      );
    const trail = async () => (await h.gql<Trail>(CHANGES, { id }, SUPERVISOR)).data!.client.auditTrail;
    // the registration: the values given, as new values
    expect((await trail()).find((r) => r.operation === 'Mutation.registerClient')!.changes).toEqual([
      { field: 'city', old: null, new: 'Nantes', erased: false },
      { field: 'firstName', old: null, new: 'Audit', erased: false },
      { field: 'lastName', old: null, new: 'Valeurs', erased: false },
      {
        field: 'matricule',
        old: null,
        new: expect.stringMatching(/^[A-Z]{2}-\d{3}-[A-Z]{2}$/),
        erased: false,
      },
      { field: 'status', old: null, new: 'ACTIVE', erased: false },
    ]);
    expect(await updates()).toEqual([
      { operation: 'Mutation.updateClient', changedFields: [], changes: [] },
      {
        operation: 'Mutation.updateClient',
        changedFields: ['city', 'phone'],
        changes: [
          { field: 'city', old: 'Nantes', new: canary, erased: false },
          { field: 'phone', old: null, new: '+33612345678', erased: false },
        ],
      },
    ]);
    // stored as ciphertexts: the audit log never holds the values in clear
    const stored = await h.sql<{
      changes: Record<string, { old: string | null; new: string | null }> | null;
    }>(
      `select changes from audit_log where entity_id = $1 and operation = 'Mutation.updateClient' order by seq`,
      [id],
    );
    expect(JSON.stringify(stored)).not.toContain(canary);
    expect(JSON.stringify(stored)).not.toContain('Nantes');
    expect(stored[0]!.changes!.city!.new).toMatch(/^pd1:/);

    // erased: the trail keeps which fields changed, and nobody can read their values any more
    expect((await h.gql(ERASE_CLIENT, { id }, SUPERVISOR)).errors).toBeUndefined();
    expect((await updates())[1]!.changes).toEqual([
      { field: 'city', old: null, new: null, erased: true },
      { field: 'phone', old: null, new: null, erased: true },
    ]);
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });

  it('keeps whether the client had a personal code and has one after, never the code, sealed under his key', async () => {
    const res = await h.gql(
      REGISTER_CLIENT,
      { input: { matricule: nextMatricule(), lastName: 'Code', firstName: 'Audit' } },
      ADVISOR,
    );
    expect(res.errors).toBeUndefined();
    const id = res.data!.registerClient.id;
    // set, replaced, removed, removed again (nothing to remove: no change)
    for (const pin of ['4709', '83 52', null, null])
      expect((await h.gql(SET_PIN, { input: { clientId: id, pin } }, ADVISOR)).errors).toBeUndefined();

    type Trail = {
      client: {
        auditTrail: {
          operation: string;
          entityId: string | null;
          changedFields: string[];
          changes: { field: string; old: string | null; new: string | null; erased: boolean }[];
        }[];
      };
    };
    const PIN_TRAIL = `query ClientPinTrail($id: ID!) {
      client(id: $id) { auditTrail { operation entityId changedFields changes { field old new erased } } }
    }`;
    const pinRecords = async () =>
      (await h.gql<Trail>(PIN_TRAIL, { id }, SUPERVISOR)).data!.client.auditTrail.filter(
        (r) => r.operation === 'Mutation.setClientPin',
      );
    // newest first; the record names the client (from the result: the input names him clientId)
    expect(await pinRecords()).toEqual([
      { operation: 'Mutation.setClientPin', entityId: id, changedFields: [], changes: [] },
      {
        operation: 'Mutation.setClientPin',
        entityId: id,
        changedFields: ['pin'],
        changes: [{ field: 'pin', old: 'set', new: 'none', erased: false }],
      },
      {
        operation: 'Mutation.setClientPin',
        entityId: id,
        changedFields: ['pin'],
        changes: [{ field: 'pin', old: 'set', new: 'set', erased: false }],
      },
      {
        operation: 'Mutation.setClientPin',
        entityId: id,
        changedFields: ['pin'],
        changes: [{ field: 'pin', old: 'none', new: 'set', erased: false }],
      },
    ]);
    // stored: ciphertexts of the words, never the code nor its hash
    const stored = await h.sql<{
      changes: Record<string, { old: string | null; new: string | null }> | null;
    }>(
      `select changes from audit_log where entity_id = $1 and operation = 'Mutation.setClientPin' order by seq`,
      [id],
    );
    expect(stored).toHaveLength(4);
    expect(JSON.stringify(stored)).not.toMatch(/4709|8352|argon2|"(set|none)"/);
    for (const { changes } of stored.slice(0, 3)) {
      expect(changes!.pin!.old).toMatch(/^pd1:/);
      expect(changes!.pin!.new).toMatch(/^pd1:/);
    }

    // erased: which field changed stays, whether he had a code does not
    expect((await h.gql(ERASE_CLIENT, { id }, SUPERVISOR)).errors).toBeUndefined();
    expect((await pinRecords()).slice(1).map((r) => r.changes)).toEqual(
      Array.from({ length: 3 }, () => [{ field: 'pin', old: null, new: null, erased: true }]),
    );
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  });
});
