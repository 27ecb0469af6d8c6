// Every list this service returns without pagination is bounded by the service itself, the
// newest kept (docs/security.md, Limits in place): one item past each maximum is written
// straight to the database (bulk INSERT), and exactly the maximum comes back, the newest, in the
// order the field documents.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { MAX_CASES_BY_LEAD } from './cases/case.repository';
import { MAX_CLAIM_ACTIVITY, MAX_CLAIM_STATUS_HISTORY, MAX_CONTRACT_CLAIMS } from './claims/claim.repository';
import { CLAIM, RECORD_CLAIM_ACTIVITY, startClaims } from '../test/harness';

const h = perFile(() => startClaims('claims_list_bounds'));

/** 1..n */
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('lists bounded by the service, the newest kept', () => {
  it(`Contract.claims: at most ${MAX_CONTRACT_CLAIMS}, newest first`, async () => {
    const contractId = randomUUID();
    // claim g was created g seconds after the base instant: the newest is the last
    const rows = await h.sql<{ id: string; g: number }>(
      `insert into sinistres (numero_sinistre, client_id, contrat_id, date_sinistre, date_creation)
       select 'BND-' || left($1::text, 8) || '-' || g, $2::uuid, $1::uuid, timestamp '2026-01-01',
              timestamp '2026-01-01' + g * interval '1 second'
         from generate_series(1, $3::int) g
       returning id, (regexp_match(numero_sinistre, '-(\\d+)$'))[1]::int as g`,
      [contractId, randomUUID(), MAX_CONTRACT_CLAIMS + 1],
    );
    const idOf = new Map(rows.map((r) => [r.g, r.id]));
    const res = await h.gql(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Contract { claims { id } } } }`,
      { reps: [{ __typename: 'Contract', id: contractId }] },
    );
    expect(res.errors).toBeUndefined();
    const [contract] = res.data!._entities as { claims: { id: string }[] }[];
    const newestFirst = range(MAX_CONTRACT_CLAIMS + 1)
      .reverse()
      .map((g) => idOf.get(g));
    expect(contract!.claims.map((c) => c.id)).toEqual(newestFirst.slice(0, MAX_CONTRACT_CLAIMS));
  });

  it(`Claim.statusHistory: at most ${MAX_CLAIM_STATUS_HISTORY}, oldest first`, async () => {
    const claim = await h.open();
    // written through the repository: the reasons are sealed (the table refuses clear ones)
    await h.service.parts.claims.update(h.service.runtime.dataSource.manager, claim.id, {
      statusHistory: Array.from({ length: MAX_CLAIM_STATUS_HISTORY + 1 }, (_, i) => ({
        from: 'IN_PROGRESS' as const,
        to: 'IN_PROGRESS' as const,
        reason: `change ${i + 1}`,
        actor: { kind: 'advisor', id: 'adv-1' },
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i + 1)).toISOString().replace('.000Z', 'Z'),
      })),
    });
    const res = await h.gql(CLAIM, { id: claim.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.claim!.statusHistory.map((s) => s.reason)).toEqual(
      range(MAX_CLAIM_STATUS_HISTORY + 1)
        .slice(1)
        .map((g) => `change ${g}`),
    );
  });

  it(`Claim.activity: at most ${MAX_CLAIM_ACTIVITY} with the case journal, newest first`, async () => {
    const caseId = `bound-${randomUUID()}`;
    await h.seedCase({
      id: caseId,
      leadId: `lead-${randomUUID()}@example.fr`,
      intent: 'SINISTRE',
      status: 'NEW',
    });
    const claim = await h.open({ caseId });
    // a partner's garage appointments, booked g seconds after a day before the claim's opening
    // (older than the opening and the letter below, whatever today's date)
    const [row] = await h.sql<{ opened: Date }>(
      `select date_creation as opened from sinistres where id = $1`,
      [claim.id],
    );
    const opened = row!.opened;
    await h.seedJournal(
      range(MAX_CLAIM_ACTIVITY + 1).map((g) => ({
        id: `${caseId}-${g}`,
        caseId,
        type: 'APPOINTMENT_BOOKED',
        timestamp: new Date(opened.getTime() - 86_400_000 + g * 1000),
        source: 'TEST',
        sourceId: `${caseId}-${g}`,
        payload: { location: `Garage ${g}` },
      })),
    );
    // the loader's statement already keeps only the newest of the journal, in time order
    const journal = await h.service.parts.cases.eventsOfTypes(
      [caseId],
      ['APPOINTMENT_BOOKED'],
      MAX_CLAIM_ACTIVITY,
    );
    expect(journal.map((e) => e.payload?.location)).toEqual(
      range(MAX_CLAIM_ACTIVITY + 1)
        .slice(1)
        .map((g) => `Garage ${g}`),
    );

    // a letter recorded now, and the declaration's photo: newer than every appointment, first
    const letter = await h.gql(RECORD_CLAIM_ACTIVITY, {
      input: { claimId: claim.id, kind: 'LETTER_SENT', detail: 'Courrier' },
    });
    expect(letter.errors).toBeUndefined();
    const res = await h.gql(CLAIM, { id: claim.id });
    expect(res.errors).toBeUndefined();
    const activity = res.data!.claim!.activity;
    expect(activity).toHaveLength(MAX_CLAIM_ACTIVITY);
    const own = activity.filter((a) => a.kind !== 'GARAGE_APPOINTMENT');
    expect(own.map((a) => a.kind)).toEqual(['LETTER_SENT', 'DOCUMENTS_RECEIVED']);
    expect(activity.slice(0, own.length)).toEqual(own);
    expect(activity.slice(own.length).map((a) => a.detail)).toEqual(
      range(MAX_CLAIM_ACTIVITY + 1)
        .reverse()
        .slice(0, MAX_CLAIM_ACTIVITY - own.length)
        .map((g) => `Garage ${g}`),
    );
  });

  it(`Claim.activity: at most ${MAX_CLAIM_ACTIVITY} entries recorded by hand, the newest first`, async () => {
    const claim = await h.open({ photoUrls: [] });
    // letters sent g seconds after a day before the claim's opening (older than its opening,
    // whatever today's date), recorded newest first: the cut is by the instant they happened,
    // not by the order they were recorded in
    // written through the repository: the details are sealed (the table refuses clear ones)
    const dayBefore = new Date(claim.createdAt).getTime() - 86_400_000;
    await h.service.parts.claims.insertActivities(
      h.service.runtime.dataSource.manager,
      claim.id,
      range(MAX_CLAIM_ACTIVITY + 1)
        .reverse()
        .map((g) => ({
          kind: 'LETTER_SENT' as const,
          detail: `Courrier ${g}`,
          at: new Date(dayBefore + g * 1000).toISOString(),
          actor: { kind: 'advisor', id: 'adv-1' },
          recordedAt: new Date(dayBefore + 86_400_000).toISOString(),
        })),
    );
    const recorded = await h.service.parts.claims.recordedActivities([claim.id], MAX_CLAIM_ACTIVITY);
    expect(recorded).toHaveLength(MAX_CLAIM_ACTIVITY);
    expect(recorded.map((a) => a.detail)).not.toContain('Courrier 1');
    const res = await h.gql(CLAIM, { id: claim.id });
    expect(res.errors).toBeUndefined();
    const activity = res.data!.claim!.activity;
    expect(activity).toHaveLength(MAX_CLAIM_ACTIVITY);
    // the opening's alert (information manquante) is newer than every letter
    expect(activity[0]!.kind).toBe('ALERT');
    expect(activity.slice(1).map((a) => a.detail)).toEqual(
      range(MAX_CLAIM_ACTIVITY + 1)
        .reverse()
        .slice(0, MAX_CLAIM_ACTIVITY - 1)
        .map((g) => `Courrier ${g}`),
    );
  });

  it(`Query.casesByLead: at most ${MAX_CASES_BY_LEAD}, the most recently active first`, async () => {
    const email = `lead-${randomUUID()}@example.fr`;
    for (const g of range(MAX_CASES_BY_LEAD + 1))
      await h.seedCase({
        id: `${email}-${g}`,
        leadId: email,
        intent: 'SINISTRE',
        status: 'NEW',
        lastEventAt: new Date(Date.UTC(2026, 0, 1) + g * 60_000),
      });
    const res = await h.gql(`query ($email: String!) { casesByLead(email: $email) { id } }`, { email });
    expect(res.errors).toBeUndefined();
    expect((res.data!.casesByLead as { id: string }[]).map((c) => c.id)).toEqual(
      range(MAX_CASES_BY_LEAD + 1)
        .reverse()
        .slice(0, MAX_CASES_BY_LEAD)
        .map((g) => `${email}-${g}`),
    );
  });
});
