// Manual assignment under contention: row locks keep every advisor within capacity, keep
// nb_dossiers_actifs equal to the entries actually held, and never give an entry two advisors.
import { perFile } from '@crm/testing';
import { codeOf, startHarness } from '../../test/harness';

// BUSY advisors: manual assignment only, automatic assignment stays out of the race.
const h = perFile(() => startHarness('escalation_race'));

interface Counts {
  id: string;
  nb_dossiers_actifs: number;
  held: string;
  open_assignments: string;
}
const loadOf = (advisorIds: string[]) =>
  h.query<Counts>(
    `select c.id, c.nb_dossiers_actifs,
            (select count(*) from escalades e where e.conseiller_id = c.id and e.statut <> 'resolue') as held,
            (select count(*) from affectations a where a.conseiller_id = c.id and a.date_fin is null) as open_assignments
       from conseillers c where c.id = any($1) order by c.id`,
    [advisorIds],
  );

it('20 parallel assignments of 20 entries onto 2 advisors of capacity 5: exactly 10 succeed', async () => {
  const advisors = await Promise.all([
    h.registerAdvisor({ capacity: 5, status: 'BUSY' }),
    h.registerAdvisor({ capacity: 5, status: 'BUSY' }),
  ]);
  const entries = await Promise.all(Array.from({ length: 20 }, () => h.escalate()));

  const results = await Promise.all(entries.map((e, i) => h.assign(e.id, advisors[i % 2]!.id)));

  const ok = results.filter((r) => !r.errors);
  const refused = results.filter((r) => r.errors);
  expect(ok).toHaveLength(10);
  expect(refused.map(codeOf)).toEqual(Array(10).fill('ESCALATION.ADVISOR_AT_CAPACITY'));
  for (const row of await loadOf(advisors.map((a) => a.id))) {
    expect(row.nb_dossiers_actifs).toBe(5);
    expect(Number(row.held)).toBe(5);
    expect(Number(row.open_assignments)).toBe(5);
  }
  const [counted] = await h.query<{ assigned: string }>(
    `select count(*) as assigned from escalades where id = any($1) and statut = 'assignee'`,
    [entries.map((e) => e.id)],
  );
  expect(Number(counted!.assigned)).toBe(10);
  const events: string[] = (
    await Promise.all(entries.map(async (e) => (await h.outbox(e.id)).map((o) => o.event_type)))
  ).flat();
  expect(events.filter((t) => t === 'AdvisorAssigned')).toHaveLength(10);
});

it('racing advisors for one entry: it ends with one advisor, one open assignment, consistent counters', async () => {
  const advisors = await Promise.all(
    Array.from({ length: 4 }, () => h.registerAdvisor({ capacity: 5, status: 'BUSY' })),
  );
  for (let round = 0; round < 5; round++) {
    const entry = await h.escalate();
    const results = await Promise.all(advisors.map((a) => h.assign(entry.id, a.id)));
    // every call succeeds in some order: the first assigns, later ones reassign
    expect(results.filter((r) => r.errors)).toHaveLength(0);
    const open = await h.query<{ conseiller_id: string }>(
      `select conseiller_id from affectations where escalade_id = $1 and date_fin is null`,
      [entry.id],
    );
    expect(open).toHaveLength(1);
    const [row] = await h.query<{ conseiller_id: string }>(
      `select conseiller_id from escalades where id = $1`,
      [entry.id],
    );
    expect(row!.conseiller_id).toBe(open[0]!.conseiller_id);
  }
  const loads = await loadOf(advisors.map((a) => a.id));
  for (const row of loads) expect(row.nb_dossiers_actifs).toBe(Number(row.held));
  expect(loads.reduce((sum, r) => sum + r.nb_dossiers_actifs, 0)).toBe(5);
});
