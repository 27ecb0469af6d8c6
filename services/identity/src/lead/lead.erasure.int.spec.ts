// eraseLead (issue 18, GDPR) over real HTTP and PostgreSQL: the lead of an e-mail who is not a
// client is deleted and its key shredded, and LeadErased tells claims and escalation the cases
// identity linked it to (from CaseEventRecorded); an unknown e-mail erases nothing and tells
// nothing; only supervisors may erase; the audit log records it without the e-mail. Its
// progress (Query.leadErasure): each service holding cases is done once it proved every
// LeadErased event of the erasure (LeadCasesErased, LeadCallRequestsErased).
import { perFile } from '@crm/testing';
import { newEvent, partnerMessageKey, type EventDataMap, type EventEnvelope } from '@crm/events';
import { LEAD_ERASURE_PROOFS, systemCaller } from '@crm/subgraph';
import { graphql } from '../../test/generated';
import { ADVISOR, startIdentity, SUPERVISOR } from '../../test/harness';
import { ERASURES_CONSUMER } from '../erasure/erasure.consumer';
import { LEADS_CONSUMER } from './lead.consumer';
import { leadField } from './lead.repository';

const ERASE_LEAD = graphql(`
  mutation EraseLead($email: String!) {
    eraseLead(email: $email) {
      erased
      cases
    }
  }
`);

const LEAD = graphql(`
  query LeadToErase($email: String!) {
    lead(email: $email) {
      email
    }
  }
`);

const h = perFile(() => startIdentity('lead_erasure'));

/** The lead of `email`, made by the consumer from one case event per case id. */
async function leadWithCases(email: string, caseIds: readonly string[]): Promise<string> {
  const events = caseIds.map((caseId, i) =>
    h.event(
      'CaseEventRecorded',
      {
        caseId,
        leadId: email,
        phone: '+33611223344',
        name: 'Prospect Efface',
        intent: 'DTV',
        siteId: 'siam-visa-pro',
        eventId: `${caseId}-e${i}`,
        eventType: 'AUDIT_COMPLETED',
        source: 'AUDIT_IA',
        occurredAt: '2026-11-01T10:00:00.000Z',
        createdCase: true,
      } satisfies EventDataMap['CaseEventRecorded'],
      email,
    ),
  );
  await h.send(...events);
  await h.processed(LEADS_CONSUMER, ...events.map((e) => e.id));
  return (await leadRow(email))!.id;
}

async function leadRow(email: string): Promise<{ id: string } | undefined> {
  const index = await h.service.parts.vault.blindIndex(leadField('email'), email);
  return (await h.sql<{ id: string }>(`select id from leads where email_bidx = $1`, [index]))[0];
}

const erasuresOf = async (leadId: string) =>
  (await h.outbox('LeadErased')).filter((e) => e.type === 'LeadErased' && e.subject === leadId);

const ERASE_LEAD_WITH_ID = graphql(`
  mutation EraseLeadFollowed($email: String!) {
    eraseLead(email: $email) {
      erased
      cases
      id
    }
  }
`);

const LEAD_PROGRESS = graphql(`
  query LeadErasureProgress($id: ID!) {
    leadErasure(id: $id) {
      id
      erasedAt
      cases
      complete
      services {
        service
        done
        erasedAt
        items
      }
    }
  }
`);

/** `service`'s proof of one LeadErased event, as its erasure consumer publishes it */
const leadProof = (
  service: keyof typeof LEAD_ERASURE_PROOFS,
  erasure: EventEnvelope<'LeadErased'>,
  items: number,
  at: string,
) =>
  newEvent(
    LEAD_ERASURE_PROOFS[service],
    { leadRecordId: erasure.data.leadRecordId, erasureEventId: erasure.id, erasedAt: at, items },
    {
      source: service,
      subject: erasure.data.leadRecordId,
      actor: { kind: 'system', id: `${service}.erasure` },
    },
  );

describe("a lead's erasure progress (Query.leadErasure)", () => {
  it('shows claims and escalation done once each proved every LeadErased of the erasure; supervisors only', async () => {
    const email = 'prospect.suivi@exemple.fr';
    const id = await leadWithCases(email, ['case-progress-0']);
    // 500 more cases (linked as the consumer links them): the erasure is told in two events
    await h.sql(
      `insert into lead_cases (lead_id, case_id) select $1, 'case-progress-' || n from generate_series(1, 500) n`,
      [id],
    );
    const erased = await h.gql(ERASE_LEAD_WITH_ID, { email }, SUPERVISOR);
    expect(erased.data).toEqual({ eraseLead: { erased: true, cases: 501, id } });
    const events = (await erasuresOf(id)) as EventEnvelope<'LeadErased'>[];
    expect(events.map((e) => e.data.caseIds.length).sort()).toEqual([1, 500]);

    const progress = async () => (await h.gql(LEAD_PROGRESS, { id }, SUPERVISOR)).data!.leadErasure!;
    const started = await progress();
    expect(started).toMatchObject({ id, cases: 501, complete: false });
    expect(started.services.map((s) => [s.service, s.done, s.items])).toEqual([
      ['identity', true, 1],
      ['claims', false, null],
      ['escalation', false, null],
    ]);

    // claims proved one of the two events: not done yet
    const first = leadProof('claims', events[0]!, 500, '2026-11-03T10:00:00.000Z');
    await h.send(first, first); // a redelivery counts once
    await h.processed(ERASURES_CONSUMER, first.id);
    expect((await progress()).services[1]).toMatchObject({ service: 'claims', done: false, items: null });

    const rest = [
      leadProof('claims', events[1]!, 1, '2026-11-03T10:00:05.000Z'),
      leadProof('escalation', events[0]!, 2, '2026-11-03T10:00:01.000Z'),
      leadProof('escalation', events[1]!, 0, '2026-11-03T10:00:02.000Z'),
    ];
    await h.send(...rest);
    await h.processed(ERASURES_CONSUMER, ...rest.map((e) => e.id));
    const done = await progress();
    expect(done.complete).toBe(true);
    expect(done.services.slice(1)).toEqual([
      { service: 'claims', done: true, erasedAt: '2026-11-03T10:00:05.000Z', items: 501 },
      { service: 'escalation', done: true, erasedAt: '2026-11-03T10:00:02.000Z', items: 2 },
    ]);

    expect((await h.gql(LEAD_PROGRESS, { id }, ADVISOR)).errors?.[0]?.extensions.code).toBe('AUTH.FORBIDDEN');
    // an id that names no erasure, or no id at all
    for (const other of ['1b4e28ba-2fa1-41d2-883f-0016d3cca427', 'not-an-id'])
      expect((await h.gql(LEAD_PROGRESS, { id: other }, SUPERVISOR)).data).toEqual({ leadErasure: null });
  });
});

describe('eraseLead (GDPR)', () => {
  it('deletes the lead, shreds its key and tells its cases in one LeadErased', async () => {
    const email = 'prospect.efface@exemple.fr';
    const id = await leadWithCases(email, ['case-erase-b', 'case-erase-a']);

    // any spelling of the e-mail, as the lead query reads it
    const res = await h.gql(ERASE_LEAD, { email: '  Prospect.Efface@EXEMPLE.fr ' }, SUPERVISOR);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ eraseLead: { erased: true, cases: 2 } });

    expect(await leadRow(email)).toBeUndefined();
    expect(await h.sql(`select 1 from leads where id = $1`, [id])).toEqual([]);
    expect(await h.sql(`select 1 from lead_cases where lead_id = $1`, [id])).toEqual([]);
    // its key is shredded: copies of its ciphertexts stay unreadable, nothing new is sealed
    await expect(h.service.parts.vault.writer(id)).rejects.toThrow('shredded');
    expect((await h.gql(LEAD, { email })).data).toEqual({ lead: null });

    const events = await erasuresOf(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'LeadErased',
      actor: { kind: 'advisor', id: SUPERVISOR.sub },
      data: {
        leadRecordId: id,
        caseIds: ['case-erase-a', 'case-erase-b'],
        // the digest of the e-mail: claims shreds the partners' dead letters sealed under it
        partnerKey: partnerMessageKey(email),
        reason: 'GDPR_REQUEST',
      },
    });
    expect(events[0]!.data).not.toHaveProperty('clientId');
    expect((events[0]!.data as { erasedAt: string }).erasedAt).toBe(events[0]!.occurredAt);
    // as written for Kafka: keyed by the lead's record, nothing of the person
    const [row] = await h.outboxRows(`event_type = 'LeadErased' and message_key = $1`, [id]);
    expect(JSON.stringify(row)).not.toMatch(/prospect|efface|611223344/i);

    // again: no lead left to erase (the dead letters are told again, under another erasure id)
    const again = await h.gql(ERASE_LEAD, { email }, SUPERVISOR);
    expect(again.data).toEqual({ eraseLead: { erased: false, cases: 0 } });
    expect(await erasuresOf(id)).toHaveLength(1);
  });

  it('tells the erasure of a lead without cases in one LeadErased with no case ids', async () => {
    const email = 'sans.dossier@exemple.fr';
    await h.service.parts.leads.upsert(
      { email, source: 'MANUAL', at: new Date('2026-11-02T10:00:00Z') },
      systemCaller('test'),
    );
    const id = (await leadRow(email))!.id;
    const res = await h.gql(ERASE_LEAD, { email }, SUPERVISOR);
    expect(res.data).toEqual({ eraseLead: { erased: true, cases: 0 } });
    const events = await erasuresOf(id);
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ leadRecordId: id, caseIds: [] })]);
  });

  it("for an e-mail no lead has, erases no lead but still tells claims to shred the partners' dead letters of it; refuses one that is not an e-mail", async () => {
    const before = (await h.outbox('LeadErased')).length;
    const email = 'personne@exemple.fr';
    const unknown = await h.gql(ERASE_LEAD_WITH_ID, { email: ' Personne@Exemple.FR' }, SUPERVISOR);
    expect(unknown.errors).toBeUndefined();
    const { id } = unknown.data!.eraseLead;
    expect(unknown.data).toEqual({ eraseLead: { erased: false, cases: 0, id: expect.any(String) } });
    // one event, no case, the digest of the e-mail, under an erasure id of its own
    const events = await erasuresOf(id!);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ leadRecordId: id, caseIds: [], partnerKey: partnerMessageKey(email) }),
    ]);
    expect(JSON.stringify(events)).not.toContain('personne');
    // followed like any lead erasure
    const progress = (await h.gql(LEAD_PROGRESS, { id: id! }, SUPERVISOR)).data!.leadErasure!;
    expect(progress).toMatchObject({ id, cases: 0, complete: false });

    const junk = await h.gql(ERASE_LEAD, { email: 'not an e-mail' }, SUPERVISOR);
    expect(junk.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');
    expect((await h.outbox('LeadErased')).length).toBe(before + 1);
  });

  it('is a supervisor’s: an advisor is refused and the lead stays', async () => {
    const email = 'reste.la@exemple.fr';
    const id = await leadWithCases(email, ['case-stays']);
    const refused = await h.gql(ERASE_LEAD, { email }, ADVISOR);
    expect(refused.errors?.[0]?.extensions.code).toBe('AUTH.FORBIDDEN');
    expect(await leadRow(email)).toEqual({ id });
    expect(await h.sql(`select case_id from lead_cases where lead_id = $1`, [id])).toEqual([
      { case_id: 'case-stays' },
    ]);
    expect(await erasuresOf(id)).toEqual([]);
  });

  it('is recorded in the audit log, without the e-mail', async () => {
    const email = 'audit.lead@exemple.fr';
    await leadWithCases(email, ['case-audited']);
    const correlationId = 'corr-erase-lead-audit';
    expect((await h.gql(ERASE_LEAD, { email }, SUPERVISOR, { correlationId })).errors).toBeUndefined();
    const records = await h.sql<Record<string, unknown>>(
      `select principal, operation, entity_type, outcome from audit_log where correlation_id = $1`,
      [correlationId],
    );
    expect(records).toEqual([
      {
        principal: SUPERVISOR.sub,
        operation: 'Mutation.eraseLead',
        entity_type: 'LeadErasure',
        outcome: 'ok',
      },
    ]);
    expect(JSON.stringify(await h.sql(`select * from audit_log`))).not.toContain('audit.lead');
  });
});
