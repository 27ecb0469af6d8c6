// Issue 5: entries come from ClaimEscalationRequested events and are assigned automatically
// (specialty, then load, then waiting time) when they are created, when an advisor becomes
// AVAILABLE and when an advisor closes an entry; under concurrency nobody goes over capacity
// and no entry has two advisors. Real PostgreSQL, in-process event transport.
import { systemCaller } from '@crm/subgraph';
import { randomUUID } from 'node:crypto';
import { newEvent, type ClaimEscalationRequestedDataV1 } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import type { AdvisorStatus } from '../../test/generated/graphql';
import { REQUESTS_CONSUMER } from '../service';
import { escalationPriority } from './escalation.rules';
import { RESOLVE_ESCALATION, SET_ADVISOR_STATUS, startHarness, type Advisor } from '../../test/harness';

const h = perFile(() => startHarness('escalation_auto'));
// every test starts from an empty team and queue
beforeEach(async () => {
  await h.query(`delete from affectations`);
  await h.query(`delete from escalades`);
  await h.query(`delete from conseillers`);
});

const system = () => systemCaller('escalation-test');

type Trigger = ClaimEscalationRequestedDataV1['triggers'][number];
const TRIGGER_TEXT: Record<Trigger['code'], string> = {
  CCI_ABOVE_THRESHOLD: 'Indice de complexité (CCI) supérieur au seuil',
  INJURIES: 'Blessures déclarées : prise en charge par un conseiller requise',
  THIRD_PARTY_RESPONSIBLE: 'Tiers responsable : un recours doit être engagé',
  DELAY_EXCEEDED: 'Aucune progression du dossier depuis plus de 5 jours',
};

/** A ClaimEscalationRequested as the claims service publishes it. */
function escalationRequest(
  codes: Trigger['code'][],
  over: Partial<ClaimEscalationRequestedDataV1> = {},
  id?: string,
) {
  const claimId = over.claimId ?? randomUUID();
  const triggers = codes.map((code) => ({ code, reason: TRIGGER_TEXT[code] }));
  return newEvent(
    'ClaimEscalationRequested',
    {
      claimId,
      claimNumber: `SIN-2026-${claimId.slice(0, 6)}`,
      clientId: randomUUID(),
      cciScore: 30,
      injuries: codes.includes('INJURIES'),
      triggers: triggers as ClaimEscalationRequestedDataV1['triggers'],
      requestedAt: new Date().toISOString(),
      ...over,
    },
    {
      source: 'claims',
      subject: claimId,
      actor: { kind: 'system', id: 'claims' },
      ...(id ? { id } : {}),
    },
  );
}

const processed = (eventIds: string[]) => h.processedCount(REQUESTS_CONSUMER, eventIds);

interface Row {
  id: string;
  sinistre_id: string;
  statut: string;
  conseiller_id: string | null;
  raisons: string[];
  priorite: number;
}
const entryOfClaim = async (claimId: string) =>
  (await h.query<Row>(`select * from escalades where sinistre_id = $1`, [claimId]))[0];
const entry = async (id: string) => (await h.query<Row>(`select * from escalades where id = $1`, [id]))[0]!;

const setStatus = async (advisorId: string, status: AdvisorStatus) => {
  const r = await h.gql(SET_ADVISOR_STATUS, { input: { advisorId, status } });
  if (!r.data?.setAdvisorStatus) throw new Error(`setAdvisorStatus failed: ${JSON.stringify(r.errors)}`);
  return r.data.setAdvisorStatus;
};

/** The invariants no interleaving may break. */
async function expectConsistentTeam(): Promise<void> {
  expect(await h.query(`select id from conseillers where nb_dossiers_actifs > capacite`)).toEqual([]);
  expect(
    await h.query(
      `select c.id from conseillers c
        where c.nb_dossiers_actifs <> (select count(*) from escalades e
                                        where e.conseiller_id = c.id and e.statut <> 'resolue')`,
    ),
  ).toEqual([]);
  // one open assignment per held entry, with the entry's advisor; none for a waiting entry
  expect(
    await h.query(
      `select e.id from escalades e
        where (select count(*) from affectations a where a.escalade_id = e.id and a.date_fin is null)
              <> (case when e.statut in ('assignee', 'en_cours') then 1 else 0 end)
           or exists (select 1 from affectations a where a.escalade_id = e.id and a.date_fin is null
                        and a.conseiller_id <> e.conseiller_id)`,
    ),
  ).toEqual([]);
}

describe('the escalation.requests consumer', () => {
  it('queues the claim with its trigger codes and priority, once, whatever the redeliveries', async () => {
    const first = escalationRequest(['INJURIES', 'THIRD_PARTY_RESPONSIBLE'], { cciScore: 64 });
    const again = escalationRequest(['INJURIES'], { claimId: first.data.claimId, cciScore: 64 });
    // the same event twice (a redelivery), then another request for the same open claim
    await h.send(first, first, again);
    await waitFor('both events applied', async () => (await processed([first.id, again.id])) === 2);

    const rows = await h.query<Row>(`select * from escalades where sinistre_id = $1`, [first.data.claimId]);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      statut: 'en_attente',
      conseiller_id: null,
      raisons: ['INJURIES', 'THIRD_PARTY_RESPONSIBLE'],
      priorite: escalationPriority({ reasons: ['INJURIES'], cciScore: 64 }),
    });
    expect(row.priorite).toBeGreaterThan(50); // injuries band
    const events = await h.outbox(row.id);
    expect(events.map((e) => e.event_type)).toEqual(['EscalationQueued']);
    const queued = events[0]!.payload as unknown as {
      correlationId: string;
      causationId: string;
      actor: { kind: string };
      data: Record<string, unknown>;
    };
    expect(queued).toMatchObject({
      correlationId: first.correlationId,
      causationId: first.id,
      actor: { kind: 'system' },
    });
    expect(queued.data).toMatchObject({
      claimId: first.data.claimId,
      clientId: first.data.clientId,
      cciScore: 64,
    });
  });

  it('dead-letters a request whose claim id is not a UUID, and keeps consuming', async () => {
    const bad = escalationRequest(['INJURIES'], { claimId: 'SIN-2026-000042' });
    const good = escalationRequest(['CCI_ABOVE_THRESHOLD'], { cciScore: 81 });
    await h.send(bad, good);
    await waitFor('the good request applied', async () => (await processed([good.id])) === 1);
    await waitFor('the bad one dead-lettered', async () => {
      const health = await h.service.runtime.events.health();
      return health.consumers.find((c) => c.consumer === REQUESTS_CONSUMER)?.deadLettered === 1;
    });
    expect(await entryOfClaim(good.data.claimId)).toMatchObject({ statut: 'en_attente' });
    expect(
      await h.query(`select id from escalades where sinistre_id::text = $1`, [bad.data.claimId]),
    ).toEqual([]);
  });

  it('assigns the new entry at once in the same transaction, to the matching advisor', async () => {
    const expert = await h.registerAdvisor({ specialty: 'sinistre_complexe', capacity: 3 });
    const request = escalationRequest(['INJURIES'], { cciScore: 40 });
    await h.send(request);
    await waitFor('the request applied', async () => (await processed([request.id])) === 1);
    const row = (await entryOfClaim(request.data.claimId))!;
    expect(row).toMatchObject({ statut: 'assignee', conseiller_id: expert.id });
    const types = (await h.outbox(row.id)).map((e) => e.event_type);
    expect(types).toEqual(['EscalationQueued', 'AdvisorAssigned']);
  });
});

describe('automatic assignment order', () => {
  it('a specialty match wins over a less loaded advisor; without a match the least loaded takes it', async () => {
    // the expert already holds one entry (given by hand while BUSY), the generalist none
    const expert = await h.registerAdvisor({ specialty: 'sinistre_complexe', capacity: 4, status: 'BUSY' });
    const held = await h.escalate({ reasons: ['COMPLAINT'] });
    expect((await h.assign(held.id, expert.id)).errors).toBeUndefined();
    expect((await setStatus(expert.id, 'AVAILABLE')).activeClaims).toBe(1);
    const generalist = await h.registerAdvisor({ capacity: 4 });

    const injury = await h.escalate({ reasons: ['INJURIES'], cciScore: 20 });
    expect(injury).toMatchObject({ status: 'ASSIGNED', advisor: { id: expert.id } });
    const [assigned] = (await h.outbox(injury.id)).filter((e) => e.event_type === 'AdvisorAssigned');
    expect(assigned!.payload.data).toMatchObject({ mode: 'AUTO', advisorId: expert.id });
    const [history] = await h.query<{ motif: string }>(
      `select motif from affectations where escalade_id = $1`,
      [injury.id],
    );
    expect(history!.motif).toBe('auto');

    // nobody is a complaints specialist: the least loaded (the generalist, 0 vs 2) takes it
    const complaint = await h.escalate({ reasons: ['COMPLAINT'] });
    expect(complaint).toMatchObject({ status: 'ASSIGNED', advisor: { id: generalist.id } });
    await expectConsistentTeam();
  });

  it('an advisor going AVAILABLE at once takes the longest-waiting matching entry, then the next on resolving', async () => {
    const expert = await h.registerAdvisor({
      specialty: 'sinistre_complexe',
      capacity: 1,
      status: 'ON_BREAK',
    });
    const complaints = await h.registerAdvisor({ specialty: 'réclamation', capacity: 1, status: 'ON_BREAK' });
    // the complaint waits longest, the two injuries have the same priority
    const complaint = await h.escalate({ reasons: ['COMPLAINT'] });
    const injuryOld = await h.escalate({ reasons: ['INJURIES'], cciScore: 40 });
    const injuryNew = await h.escalate({ reasons: ['INJURIES'], cciScore: 40 });
    expect([complaint, injuryOld, injuryNew].map((e) => e.status)).toEqual(['WAITING', 'WAITING', 'WAITING']);

    // the answer of setAdvisorStatus already counts the entry taken
    expect(await setStatus(expert.id, 'AVAILABLE')).toMatchObject({ status: 'AVAILABLE', activeClaims: 1 });
    expect(await entry(injuryOld.id)).toMatchObject({ statut: 'assignee', conseiller_id: expert.id });
    expect(await entry(injuryNew.id)).toMatchObject({ statut: 'en_attente' });
    expect(await entry(complaint.id)).toMatchObject({ statut: 'en_attente' });

    // the complaints advisor takes the complaint, though an injury (higher priority) waits
    await setStatus(complaints.id, 'AVAILABLE');
    expect(await entry(complaint.id)).toMatchObject({ statut: 'assignee', conseiller_id: complaints.id });
    expect(await entry(injuryNew.id)).toMatchObject({ statut: 'en_attente' });

    // closing an entry frees the slot, which the next matching entry takes at once
    const resolved = await h.gql(RESOLVE_ESCALATION, {
      input: { escalationId: injuryOld.id, resolution: 'Client rappelé' },
    });
    expect(resolved.data?.resolveEscalation.status).toBe('RESOLVED');
    expect(await entry(injuryNew.id)).toMatchObject({ statut: 'assignee', conseiller_id: expert.id });
    const types = (await h.outbox(injuryOld.id)).map((e) => e.event_type);
    expect(types).toEqual(['EscalationQueued', 'AdvisorAssigned', 'EscalationResolved']);
    const statusEvents = (await h.outbox(expert.id)).map((e) => e.event_type);
    expect(statusEvents).toEqual(['AdvisorRegistered', 'AdvisorStatusChanged']);
    await expectConsistentTeam();
  });

  it('a reassignment by hand frees a slot that the previous holder fills at once', async () => {
    const first = await h.registerAdvisor({ capacity: 1 });
    const taken = await h.escalate({ reasons: ['INJURIES'] });
    expect(taken).toMatchObject({ status: 'ASSIGNED', advisor: { id: first.id } });
    const waiting = await h.escalate({ reasons: ['COMPLAINT'] });
    expect(waiting.status).toBe('WAITING');
    const second = await h.registerAdvisor({ capacity: 1, status: 'BUSY' });

    const moved = await h.assign(taken.id, second.id);
    expect(moved.data?.assignEscalation).toMatchObject({ status: 'ASSIGNED', advisor: { id: second.id } });
    expect(await entry(waiting.id)).toMatchObject({ statut: 'assignee', conseiller_id: first.id });
    await expectConsistentTeam();
  });

  it('a BUSY or ON_BREAK advisor is given nothing automatically', async () => {
    const busy = await h.registerAdvisor({ status: 'BUSY' });
    await h.registerAdvisor({ status: 'ON_BREAK' });
    const waiting = await h.escalate({ reasons: ['INJURIES'] });
    expect(waiting.status).toBe('WAITING');
    expect(await h.service.parts.escalations.drainQueue(system())).toBe(0);
    await setStatus(busy.id, 'AVAILABLE');
    expect(await entry(waiting.id)).toMatchObject({ statut: 'assignee', conseiller_id: busy.id });
  });

  it('the sweep (drainQueue) assigns what a missed trigger left waiting, head of the queue first', async () => {
    const low = await h.escalate({ reasons: ['THIRD_PARTY_RESPONSIBLE'], cciScore: 10 });
    const urgent = await h.escalate({ reasons: ['INJURIES'], cciScore: 90 });
    // an advisor with room that no trigger announced (written behind the service's back)
    await h.query(
      `insert into conseillers (nom, statut, capacite) values ('Sans déclencheur', 'disponible', 1)`,
    );
    expect(await h.service.parts.escalations.drainQueue(system())).toBe(1);
    expect(await entry(urgent.id)).toMatchObject({ statut: 'assignee' });
    expect(await entry(low.id)).toMatchObject({ statut: 'en_attente' });
    await expectConsistentTeam();
  });
});

describe('under concurrency', () => {
  const CAPACITY = 4;
  const ADVISORS = 5;
  const ENTRIES = 50;
  const slots = ADVISORS * CAPACITY;

  /** Each advisor flips BUSY/AVAILABLE a few times (in parallel with the others), ending AVAILABLE. */
  const flip = (advisors: Advisor[]) =>
    Promise.all(
      advisors.map(async (a) => {
        for (let i = 0; i < 3; i++) {
          await setStatus(a.id, 'BUSY');
          await setStatus(a.id, 'AVAILABLE');
        }
      }),
    );

  async function expectFullyAssigned(advisors: Advisor[]): Promise<void> {
    const counts = await h.query<{ statut: string; n: string }>(
      `select statut, count(*) as n from escalades group by statut`,
    );
    const count = (s: string) => Number(counts.find((c) => c.statut === s)?.n ?? 0);
    expect(count('assignee')).toBe(Math.min(ENTRIES, slots));
    expect(count('en_attente')).toBe(ENTRIES - Math.min(ENTRIES, slots));
    const loads = await h.query<{ nb_dossiers_actifs: number }>(
      `select nb_dossiers_actifs from conseillers where id = any($1)`,
      [advisors.map((a) => a.id)],
    );
    expect(loads.map((l) => l.nb_dossiers_actifs)).toEqual(Array(ADVISORS).fill(CAPACITY));
    // every assignment was announced exactly once
    const [announced] = await h.query<{ n: string; entries: string }>(
      `select count(*) as n, count(distinct payload->'data'->>'escalationId') as entries
         from event_outbox where event_type = 'AdvisorAssigned'
          and payload->'data'->>'escalationId' in (select id::text from escalades)`,
    );
    expect(Number(announced!.n)).toBe(Math.min(ENTRIES, slots));
    expect(Number(announced!.entries)).toBe(Math.min(ENTRIES, slots));
    await expectConsistentTeam();
  }

  it('50 parallel escalations and 5 advisors flipping status: no double assignment, no overflow', async () => {
    // two start on a break, so the flips also bring capacity in the middle of the run
    const advisors = await Promise.all(
      Array.from({ length: ADVISORS }, (_, i) =>
        h.registerAdvisor({ capacity: CAPACITY, status: i < 2 ? 'ON_BREAK' : 'AVAILABLE' }),
      ),
    );
    const escalations = h.service.parts.escalations;
    const reasons = ['INJURIES', 'CCI_ABOVE_THRESHOLD', 'THIRD_PARTY_RESPONSIBLE'];
    await Promise.all([
      ...Array.from({ length: ENTRIES }, (_, i) =>
        escalations.escalate(
          { claimId: randomUUID(), clientId: randomUUID(), reasons: [reasons[i % 3]!], cciScore: i % 100 },
          system(),
        ),
      ),
      flip(advisors),
    ]);
    await expectFullyAssigned(advisors);
  });

  it('fewer entries than slots while every advisor keeps flipping: no entry is left waiting', async () => {
    // the race the auto-assignment lock closes: an entry committed while its advisor turns
    // AVAILABLE, each transaction missing the other's change
    const advisors = await Promise.all(
      Array.from({ length: ADVISORS }, () => h.registerAdvisor({ capacity: CAPACITY, status: 'BUSY' })),
    );
    const escalations = h.service.parts.escalations;
    const flips = (a: Advisor) => async () => {
      for (let i = 0; i < 8; i++) {
        await setStatus(a.id, 'AVAILABLE');
        await setStatus(a.id, 'BUSY');
      }
      await setStatus(a.id, 'AVAILABLE');
    };
    const entries = await Promise.all([
      ...Array.from({ length: 15 }, () =>
        escalations.escalate(
          { claimId: randomUUID(), clientId: undefined, reasons: ['INJURIES'], cciScore: undefined },
          system(),
        ),
      ),
      ...advisors.map((a) => flips(a)().then(() => null)),
    ]);
    expect(entries.filter((e) => e !== null)).toHaveLength(15);
    expect(await h.query(`select id from escalades where statut = 'en_attente'`)).toEqual([]);
    await expectConsistentTeam();
  });

  it('50 ClaimEscalationRequested events consumed while advisors flip status: same guarantees', async () => {
    const advisors = await Promise.all(
      Array.from({ length: ADVISORS }, (_, i) =>
        h.registerAdvisor({
          capacity: CAPACITY,
          specialty: i % 2 ? 'sinistre_complexe' : 'réclamation',
          status: i < 3 ? 'BUSY' : 'AVAILABLE',
        }),
      ),
    );
    const requests = Array.from({ length: ENTRIES }, (_, i) =>
      escalationRequest(i % 2 ? ['INJURIES'] : ['THIRD_PARTY_RESPONSIBLE'], { cciScore: (i * 7) % 100 }),
    );
    await Promise.all([h.send(...requests), flip(advisors)]);
    await waitFor(
      'every request applied',
      async () => (await processed(requests.map((r) => r.id))) === ENTRIES,
      { timeoutMs: 30_000 },
    );
    await expectFullyAssigned(advisors);
  });
});
