// Who may do what in the escalation subgraph, whatever token the gateway accepted: the queue
// is staff work (AUTH.FORBIDDEN for clients and partners); an advisor takes up and closes his
// own entries and sets his own status; registering advisors and acting for another advisor
// is a supervisor's. Real PostgreSQL, called over HTTP with internal tokens.
import { perFile } from '@crm/testing';
import { type Principal } from '@crm/auth';
import {
  codeOf,
  RESOLVE_ESCALATION,
  SET_ADVISOR_STATUS,
  START_ESCALATION,
  startHarness,
} from '../test/harness';

const h = perFile(() => startHarness('escalation_authz'));

const CLIENT: Principal = { sub: '5d2c7a90-1b3e-4f6a-8c9d-0e1f2a3b4c5d', roles: ['client'] };
const PARTNER: Principal = { sub: 'WEB_CHAT', roles: ['partner'] };
const advisorPrincipal = (id: string): Principal => ({ sub: id, roles: ['advisor'] });

describe('escalation authorization', () => {
  it('refuses every root field to a client or a partner with AUTH.FORBIDDEN', async () => {
    const entry = await h.escalate({ reasons: ['COMPLAINT'] });
    const operations: [string, Record<string, unknown>][] = [
      ['{ escalationQueue { totalCount } }', {}],
      ['query($id: ID!) { escalation(id: $id) { id } }', { id: entry.id }],
      ['{ advisors { id } }', {}],
      [
        'mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { id } }',
        { input: { claimId: '0b6f4e4e-8f2a-4c57-9a43-5a1f0d0c9e11', reasons: ['INJURIES'] } },
      ],
      [
        'mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }',
        { input: { name: 'Intrus' } },
      ],
    ];
    for (const principal of [CLIENT, PARTNER]) {
      for (const [query, variables] of operations) {
        const r = await h.gql(query, variables, principal);
        // a nullable root answers null beside its error, a non-null one nulls the data
        const answered = Object.values(r.data ?? {}).filter((v) => v !== null);
        expect({ query, code: codeOf(r), answered }).toEqual({ query, code: 'AUTH.FORBIDDEN', answered: [] });
      }
    }
    // nothing was written by the refused mutations
    expect(
      await h.query(`select id from escalades where sinistre_id = '0b6f4e4e-8f2a-4c57-9a43-5a1f0d0c9e11'`),
    ).toEqual([]);
    expect(await h.query(`select id from conseillers where nom = 'Intrus'`)).toEqual([]);
  });

  it('lets an advisor take up and close only his own entries; a supervisor any', async () => {
    const alice = await h.registerAdvisor({ capacity: 5 });
    const bob = await h.registerAdvisor({ capacity: 5, status: 'BUSY' });
    const entry = await h.escalate({ reasons: ['INJURIES'] });
    expect(entry.advisor?.id).toBe(alice.id);

    const byBob = await h.gql(
      START_ESCALATION,
      { input: { escalationId: entry.id } },
      advisorPrincipal(bob.id),
    );
    expect(codeOf(byBob)).toBe('AUTH.FORBIDDEN');
    const started = await h.gql(
      START_ESCALATION,
      { input: { escalationId: entry.id } },
      advisorPrincipal(alice.id),
    );
    expect(started.data?.startEscalation.status).toBe('IN_PROGRESS');

    const closeByBob = await h.gql(
      RESOLVE_ESCALATION,
      { input: { escalationId: entry.id, resolution: 'x' } },
      advisorPrincipal(bob.id),
    );
    expect(codeOf(closeByBob)).toBe('AUTH.FORBIDDEN');
    expect(
      (await h.query<{ statut: string }>(`select statut from escalades where id = $1`, [entry.id]))[0]!
        .statut,
    ).toBe('en_cours');
    // the supervisor (harness default) closes it for her
    const closed = await h.gql(RESOLVE_ESCALATION, {
      input: { escalationId: entry.id, resolution: 'Clôturé par la supervision' },
    });
    expect(closed.data?.resolveEscalation.status).toBe('RESOLVED');
  });

  it("lets an advisor set his own status, not another's; registering advisors is a supervisor's", async () => {
    const alice = await h.registerAdvisor();
    const bob = await h.registerAdvisor();
    const own = await h.gql(
      SET_ADVISOR_STATUS,
      { input: { advisorId: alice.id, status: 'ON_BREAK' } },
      advisorPrincipal(alice.id),
    );
    expect(own.data?.setAdvisorStatus.status).toBe('ON_BREAK');
    const other = await h.gql(
      SET_ADVISOR_STATUS,
      { input: { advisorId: bob.id, status: 'ON_BREAK' } },
      advisorPrincipal(alice.id),
    );
    expect(codeOf(other)).toBe('AUTH.FORBIDDEN');
    const register = await h.gql(
      'mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }',
      { input: { name: 'Recrue' } },
      advisorPrincipal(alice.id),
    );
    expect(codeOf(register)).toBe('AUTH.FORBIDDEN');
  });
});
