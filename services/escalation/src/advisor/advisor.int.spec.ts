// Advisors over real HTTP against a real PostgreSQL database.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { codeOf, SET_ADVISOR_STATUS, startHarness } from '../../test/harness';
import { graphql } from '../../test/generated';
import { MAX_ADVISORS } from './advisor.repository';
import { MAX_ADVISOR_ASSIGNMENTS, MAX_ASSIGNMENT_HISTORY } from '../escalation/escalation.repository';

const h = perFile(() => startHarness('advisor'));

const ADVISOR_IDS = graphql(`
  query AdvisorIds {
    advisors {
      id
    }
  }
`);
const BUSY_ADVISORS = graphql(`
  query BusyAdvisors {
    advisors(status: BUSY) {
      id
      status
    }
  }
`);
const ADVISOR_NAME = graphql(`
  query AdvisorName($id: ID!) {
    advisor(id: $id) {
      name
    }
  }
`);

describe('registerAdvisor', () => {
  it('registers an advisor with defaults and writes AdvisorRegistered', async () => {
    const r = await h.gql(
      graphql(`
        mutation RegisterFullAdvisor($input: RegisterAdvisorInput!) {
          registerAdvisor(input: $input) {
            id
            name
            email
            phone
            specialty
            status
            activeClaims
            capacity
            createdAt
          }
        }
      `),
      {
        input: {
          name: 'Marie Dupont',
          email: 'Marie.Dupont@assur.example',
          phone: '0102030405',
          specialty: 'sinistre_complexe',
        },
      },
    );
    expect(r.errors).toBeUndefined();
    const advisor = r.data!.registerAdvisor;
    expect(advisor).toMatchObject({
      name: 'Marie Dupont',
      email: 'marie.dupont@assur.example',
      specialty: 'sinistre_complexe',
      status: 'AVAILABLE',
      activeClaims: 0,
      capacity: 5,
    });
    const [row] = await h.query<{ statut: string; capacite: number }>(
      `select statut, capacite from conseillers where id = $1`,
      [advisor.id],
    );
    expect(row).toEqual({ statut: 'disponible', capacite: 5 });
    const events = await h.outbox(advisor.id);
    expect(events.map((e) => e.event_type)).toEqual(['AdvisorRegistered']);
    expect(events[0]!.payload.data).toEqual({
      advisorId: advisor.id,
      name: 'Marie Dupont',
      status: 'AVAILABLE',
      capacity: 5,
      specialty: 'sinistre_complexe',
    });
  });

  it('refuses a second advisor with the same e-mail (ADVISOR.EMAIL_TAKEN), writing nothing', async () => {
    const email = `${randomUUID()}@assur.example`;
    await h.registerAdvisor({ email });
    const r = await h.gql(
      `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
      {
        input: { name: 'Copie', email: email.toUpperCase() },
      },
    );
    expect(codeOf(r)).toBe('ADVISOR.EMAIL_TAKEN');
    expect(await h.query(`select id from conseillers where nom = 'Copie'`)).toHaveLength(0);
  });

  it('reports invalid fields with VALIDATION.FAILED', async () => {
    const r = await h.gql(
      `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
      {
        input: { name: ' ', email: 'not-an-email', capacity: 0 },
      },
    );
    expect(codeOf(r)).toBe('VALIDATION.FAILED');
    expect(r.errors![0]!.extensions.details!.problems!.map((p) => p.field).sort()).toEqual([
      'capacity',
      'email',
      'name',
    ]);
  });
});

describe('setAdvisorStatus', () => {
  it('changes the status with AdvisorStatusChanged, and a repeat changes nothing', async () => {
    const advisor = await h.registerAdvisor();
    const r = await h.gql(SET_ADVISOR_STATUS, {
      input: { advisorId: advisor.id, status: 'ON_BREAK' },
    });
    expect(r.data!.setAdvisorStatus.status).toBe('ON_BREAK');
    await h.gql(SET_ADVISOR_STATUS, { input: { advisorId: advisor.id, status: 'ON_BREAK' } });
    const events = await h.outbox(advisor.id);
    expect(events.map((e) => e.event_type)).toEqual(['AdvisorRegistered', 'AdvisorStatusChanged']);
    expect(events[1]!.payload.data).toEqual({ advisorId: advisor.id, from: 'AVAILABLE', to: 'ON_BREAK' });
    const [row] = await h.query<{ statut: string }>(`select statut from conseillers where id = $1`, [
      advisor.id,
    ]);
    expect(row!.statut).toBe('pause');
  });

  it('answers ADVISOR.NOT_FOUND for an unknown advisor', async () => {
    const id = randomUUID();
    const r = await h.gql(SET_ADVISOR_STATUS, { input: { advisorId: id, status: 'BUSY' } });
    expect(r.errors![0]!.extensions).toEqual({ code: 'ADVISOR.NOT_FOUND', details: { id } });
  });
});

describe('queries', () => {
  it('lists advisors (optionally by status) and reads one', async () => {
    const busy = await h.registerAdvisor({ name: 'Zoé Busy', status: 'BUSY' });
    const all = await h.gql(ADVISOR_IDS);
    expect(all.data!.advisors.map((a) => a.id)).toContain(busy.id);
    const onlyBusy = await h.gql(BUSY_ADVISORS);
    expect(onlyBusy.data!.advisors.map((a) => a.id)).toEqual([busy.id]);
    const one = await h.gql(ADVISOR_NAME, { id: busy.id });
    expect(one.data!.advisor).toEqual({ name: 'Zoé Busy' });
    const none = await h.gql(ADVISOR_NAME, { id: randomUUID() });
    expect(none.data!.advisor).toBeNull();
    expect(codeOf(await h.gql(`{ advisor(id: "7") { name } }`))).toBe('VALIDATION.FAILED');
  });
});

describe('_entities', () => {
  it('resolves Advisor by id, with its assignments batched in one query', async () => {
    const [a, b] = await Promise.all([h.registerAdvisor(), h.registerAdvisor()]);
    const e1 = await h.escalate();
    const e2 = await h.escalate();
    await h.assign(e1.id, a.id);
    await h.assign(e2.id, b.id);
    h.sql.length = 0;
    // _entities is federation's, not in the SDL: codegen cannot type it, the result is read as unknown
    const r = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Advisor { id activeClaims assignments(status: ASSIGNED) { id } } } }`,
      {
        reps: [
          { __typename: 'Advisor', id: a.id },
          { __typename: 'Advisor', id: b.id },
          { __typename: 'Advisor', id: randomUUID() },
        ],
      },
    );
    expect(r.data!._entities).toEqual([
      { id: a.id, activeClaims: 1, assignments: [{ id: e1.id }] },
      { id: b.id, activeClaims: 1, assignments: [{ id: e2.id }] },
      null,
    ]);
    expect(h.sql.filter((q) => q.includes('"escalades"'))).toHaveLength(1);
    expect(h.sql.filter((q) => q.includes('"conseillers"'))).toHaveLength(1);
  });
});

describe('health', () => {
  it('is live and ready', async () => {
    expect((await fetch(h.service.url.replace('/graphql', '/health/ready'))).status).toBe(200);
    expect((await fetch(h.service.url.replace('/graphql', '/health/live'))).status).toBe(200);
  });
});

describe('bounds: every list is cut by the service, keeping the newest', () => {
  it(`lists at most MAX_ADVISORS advisors, the first by name`, async () => {
    // '0' sorts before every other test's names; 0borne201 is the one left out
    await h.query(
      `INSERT INTO conseillers (nom) SELECT '0borne' || lpad(i::text, 3, '0') FROM generate_series(1, $1::int) i`,
      [MAX_ADVISORS + 1],
    );
    const r = await h.gql(`{ advisors { name } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toHaveProperty(
      'advisors',
      Array.from({ length: MAX_ADVISORS }, (_, i) => ({ name: `0borne${String(i + 1).padStart(3, '0')}` })),
    );
  });

  it('returns at most MAX_ADVISOR_ASSIGNMENTS entries per advisor, the most recently assigned, in one query', async () => {
    const advisors = [await h.registerAdvisor(), await h.registerAdvisor()];
    const newest: string[][] = [];
    for (const advisor of advisors) {
      // resolved entries assigned a minute apart: the first assigned is left out
      const [row] = await h.query<{ ids: string[] }>(
        `WITH e AS (
           INSERT INTO escalades (sinistre_id, statut, conseiller_id, date_assignation, date_resolution)
           SELECT gen_random_uuid(), 'resolue', $1, d, d + INTERVAL '1 second'
           FROM generate_series(1, $2::int) i, LATERAL (SELECT TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '1 minute' AS d) t
           RETURNING id, date_assignation)
         SELECT array_agg(id ORDER BY date_assignation DESC) AS ids FROM e`,
        [advisor.id, MAX_ADVISOR_ASSIGNMENTS + 1],
      );
      newest.push(row!.ids.slice(0, MAX_ADVISOR_ASSIGNMENTS));
    }
    h.sql.length = 0;
    const r = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Advisor { all: assignments { id } resolved: assignments(status: RESOLVED) { id } } } }`,
      { reps: advisors.map((a) => ({ __typename: 'Advisor', id: a.id })) },
    );
    expect(r.errors).toBeUndefined();
    newest.forEach((ids, k) => {
      const expected = ids.map((id) => ({ id }));
      expect(r.data).toHaveProperty(['_entities', k, 'all'], expected);
      expect(r.data).toHaveProperty(['_entities', k, 'resolved'], expected);
    });
    // one query per status filter, whatever the number of advisors
    expect(h.sql.filter((q) => q.includes('"escalades"'))).toHaveLength(2);
  });

  it('returns at most MAX_ASSIGNMENT_HISTORY assignments per entry, the newest, oldest first', async () => {
    const advisor = await h.registerAdvisor();
    const [entry] = await h.query<{ id: string }>(
      `INSERT INTO escalades (sinistre_id, statut, conseiller_id, date_assignation, date_resolution)
       VALUES (gen_random_uuid(), 'resolue', $1, TIMESTAMP '2026-01-01', TIMESTAMP '2026-02-01') RETURNING id`,
      [advisor.id],
    );
    // assignments a minute apart: the first is left out
    const [row] = await h.query<{ ids: string[] }>(
      `WITH a AS (
         INSERT INTO affectations (escalade_id, conseiller_id, date_debut, date_fin, motif)
         SELECT $1, $2, d, d + INTERVAL '1 second', 'reaffectation'
         FROM generate_series(1, $3::int) i, LATERAL (SELECT TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '1 minute' AS d) t
         RETURNING id, date_debut)
       SELECT array_agg(id ORDER BY date_debut ASC) AS ids FROM a`,
      [entry!.id, advisor.id, MAX_ASSIGNMENT_HISTORY + 1],
    );
    const r = await h.gql(`query($id: ID!) { escalation(id: $id) { assignmentHistory { id } } }`, {
      id: entry!.id,
    });
    expect(r.errors).toBeUndefined();
    expect(r.data).toHaveProperty(
      ['escalation', 'assignmentHistory'],
      row!.ids.slice(1).map((id) => ({ id })),
    );
  });
});
