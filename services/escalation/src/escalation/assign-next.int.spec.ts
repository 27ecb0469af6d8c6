// Automatic assignment (the service method issue 5's consumers will call): the head of the
// queue goes to the least loaded available advisor, never beyond capacity, also in parallel.
import { randomUUID } from 'node:crypto';
import { EscalationService } from './escalation.service';
import { startHarness, type Harness } from '../../test/harness';

let h: Harness;
let escalations: EscalationService;
const system = () => ({
  principal: { sub: 'escalation-worker', roles: ['system' as const] },
  correlationId: randomUUID(),
});

beforeAll(async () => {
  h = await startHarness('escalation_next');
  escalations = new EscalationService(h.service.runtime);
});
afterAll(() => h?.stop());

it('gives the head of the queue to the least loaded available advisor (mode AUTO)', async () => {
  expect(await escalations.assignNext(system())).toBeNull(); // nothing waiting
  const first = await h.registerAdvisor({ capacity: 2 });
  const second = await h.registerAdvisor({ capacity: 2 });
  await h.registerAdvisor({ status: 'ON_BREAK' });
  const low = await h.escalate({ reasons: ['THIRD_PARTY_RESPONSIBLE'], cciScore: 20 });
  const injury = await h.escalate({ reasons: ['INJURIES'] });

  const a = await escalations.assignNext(system());
  expect(a).toMatchObject({ id: injury.id, status: 'ASSIGNED' });
  const b = await escalations.assignNext(system());
  expect(b).toMatchObject({ id: low.id, status: 'ASSIGNED' });
  // one each: after the first took one, the other was the less loaded
  expect(new Set([a!.advisorId, b!.advisorId])).toEqual(new Set([first.id, second.id]));
  const [event] = (await h.outbox(injury.id)).filter((e) => e.event_type === 'AdvisorAssigned');
  expect(event!.payload.data).toMatchObject({ mode: 'AUTO', advisorId: a!.advisorId });
  const [history] = await h.query<{ motif: string }>(
    `select motif from affectations where escalade_id = $1`,
    [injury.id],
  );
  expect(history!.motif).toBe('auto');
  expect(await escalations.assignNext(system())).toBeNull(); // queue empty again
});

it('in parallel, assigns exactly as many entries as there are free slots', async () => {
  await Promise.all([h.registerAdvisor({ capacity: 3 }), h.registerAdvisor({ capacity: 3 })]);
  const [slots] = await h.query<{ free: string }>(
    `select coalesce(sum(capacite - nb_dossiers_actifs), 0) as free from conseillers where statut = 'disponible'`,
  );
  expect(Number(slots!.free)).toBe(8);
  await Promise.all(Array.from({ length: 10 }, () => h.escalate()));
  const results = await Promise.all(Array.from({ length: 12 }, () => escalations.assignNext(system())));
  expect(results.filter((r) => r !== null)).toHaveLength(8);
  const waiting = await h.query(`select id from escalades where statut = 'en_attente'`);
  expect(waiting).toHaveLength(2);
  const over = await h.query(`select id from conseillers where nb_dossiers_actifs > capacite`);
  expect(over).toHaveLength(0);
  const mismatched = await h.query(
    `select c.id from conseillers c
      where c.nb_dossiers_actifs <> (select count(*) from escalades e where e.conseiller_id = c.id and e.statut <> 'resolue')`,
  );
  expect(mismatched).toHaveLength(0);
});
