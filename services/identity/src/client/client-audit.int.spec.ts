// The identity service's audit log on a client (docs/security.md, Audit log), over real HTTP and
// PostgreSQL: changes and staff reads of a client's file are recorded, the policyholder's own
// reads are not, and supervisors alone read the trail through the graph.
import { randomUUID } from 'node:crypto';
import type { Principal } from '@crm/auth';
import { verifyAuditDatabase } from '@crm/db';
import {
  ADVISOR,
  nextMatricule,
  REGISTER_CLIENT,
  startIdentity,
  SUPERVISOR,
  UPDATE_CLIENT,
  type Harness,
} from '../../test/harness';

let h: Harness;
beforeAll(async () => {
  h = await startIdentity('client_audit');
});
afterAll(() => h?.stop());

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
});
