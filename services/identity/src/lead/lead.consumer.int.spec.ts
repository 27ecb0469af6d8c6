// Leads upserted from claims' CaseEventRecorded events, through the real consumer (in-process
// transport, real PostgreSQL): created, enriched, idempotent, never rolled back, and linked to
// their cases (lead_cases, what an erasure tells claims and escalation).
import type { EventDataMap } from '@crm/events';
import { systemCaller } from '@crm/subgraph';
import { perFile, startServiceForTest } from '@crm/testing';
import { graphql } from '../../test/generated';
import { envSchema } from '../env';
import { definitionFromEnv } from '../service';
import { LEADS_CONSUMER } from './lead.consumer';
import { leadField } from './lead.repository';

const LEAD_BY_EMAIL = graphql(`
  query LeadByEmail($e: String!) {
    lead(email: $e) {
      email
      phone
      name
      source
      createdAt
      updatedAt
    }
  }
`);

const caseEvent = (
  over: Partial<EventDataMap['CaseEventRecorded']> = {},
): EventDataMap['CaseEventRecorded'] => ({
  caseId: 'case-1',
  leadId: 'lea.martin@exemple.fr',
  phone: null,
  name: null,
  intent: 'DTV',
  siteId: 'siam-visa-pro',
  eventId: 'e1',
  eventType: 'AUDIT_COMPLETED',
  source: 'AUDIT_IA',
  occurredAt: '2026-11-01T10:00:00.000Z',
  createdCase: true,
  ...over,
});

describe('identity: leads from case events', () => {
  const h = perFile(() => startServiceForTest(definitionFromEnv, { envSchema, label: 'identity_leads' }));

  const lead = async (email: string) => (await h.gql(LEAD_BY_EMAIL, { e: email })).data?.lead;

  it('creates the lead, then enriches it, once per event, never rolling back', async () => {
    const first = h.event('CaseEventRecorded', caseEvent(), 'lea.martin@exemple.fr');
    await h.send(first, first); // a duplicate delivery
    await h.processed(LEADS_CONSUMER, first.id);
    expect(await lead('Lea.Martin@exemple.fr')).toMatchObject({
      email: 'lea.martin@exemple.fr',
      phone: null,
      source: 'AUDIT_IA',
      createdAt: '2026-11-01T10:00:00.000Z',
    });

    const later = h.event(
      'CaseEventRecorded',
      caseEvent({
        eventId: 'e2',
        phone: '+33612345678',
        name: 'Léa Martin',
        source: 'CALENDLY',
        eventType: 'APPOINTMENT_BOOKED',
        occurredAt: '2026-11-05T09:00:00.000Z',
      }),
      'lea.martin@exemple.fr',
    );
    const older = h.event(
      'CaseEventRecorded',
      caseEvent({
        eventId: 'e0',
        phone: '+33799999999',
        name: 'L. Martin',
        source: 'WEB_CHAT',
        occurredAt: '2026-10-01T09:00:00.000Z',
      }),
      'lea.martin@exemple.fr',
    );
    await h.send(later, older);
    await h.processed(LEADS_CONSUMER, later.id, older.id);
    expect(await lead('lea.martin@exemple.fr')).toMatchObject({
      // an older event arriving late never overwrites newer contact data...
      phone: '+33612345678',
      name: 'Léa Martin',
      updatedAt: '2026-11-05T09:00:00.000Z',
      // ...but it is the earliest interaction: seed 2's "origine première" and first date
      source: 'WEB_CHAT',
      createdAt: '2026-10-01T09:00:00.000Z',
    });
    // three distinct events each changed the lead; the duplicate delivery changed nothing
    const upserts = (await h.outbox('LeadUpserted')).filter(
      (e) => e.type === 'LeadUpserted' && e.data.email === 'lea.martin@exemple.fr',
    );
    expect(upserts).toHaveLength(3);
  });

  it('links the lead to the case of each event, once, also when the upsert changed nothing', async () => {
    const email = 'two.cases@exemple.fr';
    const onCase = (caseId: string, eventId: string) =>
      h.event('CaseEventRecorded', caseEvent({ caseId, leadId: email, eventId }), email);
    const first = onCase('case-links-a', 'links-1');
    // another case with the same contact data at the same instant: the lead does not change
    const second = onCase('case-links-b', 'links-2');
    await h.send(first);
    await h.processed(LEADS_CONSUMER, first.id);
    await h.send(second);
    await h.processed(LEADS_CONSUMER, second.id);
    // a replay: the same event delivered again, and another event of a case already linked
    const again = onCase('case-links-a', 'links-3');
    await h.send(first, again);
    await h.processed(LEADS_CONSUMER, again.id);

    const index = await h.service.parts.vault.blindIndex(leadField('email'), email);
    const links = await h.sql<{ lead_id: string; case_id: string }>(
      `select lc.lead_id, lc.case_id from lead_cases lc join leads l on l.id = lc.lead_id
        where l.email_bidx = $1 order by lc.case_id`,
      [index],
    );
    expect(links.map((l) => l.case_id)).toEqual(['case-links-a', 'case-links-b']);
    // the lead's record, as its LeadUpserted event names it; one event: the other touches added nothing
    const upserts = (await h.outbox('LeadUpserted')).filter(
      (e) => e.type === 'LeadUpserted' && e.data.email === email,
    );
    expect(upserts).toHaveLength(1);
    expect(links.every((l) => l.lead_id === upserts[0]!.subject)).toBe(true);
  });

  it("links an older case (CaseLeadLinked) to its known lead, which the lead's erasure then names; an unknown lead gets none", async () => {
    const email = 'ancien.dossier@exemple.fr';
    const known = h.event(
      'CaseEventRecorded',
      caseEvent({ caseId: 'case-recent', leadId: email, eventId: 'r1' }),
      email,
    );
    await h.send(known);
    await h.processed(LEADS_CONSUMER, known.id);
    // the older cases, named once by claims' lead-links task (any spelling of the e-mail)
    const older = h.event(
      'CaseLeadLinked',
      { caseId: 'case-older', leadId: ' Ancien.Dossier@EXEMPLE.fr' },
      'case-older',
    );
    const stranger = h.event(
      'CaseLeadLinked',
      { caseId: 'case-stranger', leadId: 'inconnu@exemple.fr' },
      'case-stranger',
    );
    await h.send(older, older, stranger);
    await h.processed(LEADS_CONSUMER, older.id, stranger.id);

    const index = await h.service.parts.vault.blindIndex(leadField('email'), email);
    const links = await h.sql<{ case_id: string }>(
      `select lc.case_id from lead_cases lc join leads l on l.id = lc.lead_id where l.email_bidx = $1 order by lc.case_id`,
      [index],
    );
    expect(links.map((l) => l.case_id)).toEqual(['case-older', 'case-recent']);
    // no lead is made from a link: the stranger stays unknown
    expect(await lead('inconnu@exemple.fr')).toBeNull();
    expect(await h.sql(`select 1 from lead_cases where case_id = 'case-stranger'`)).toEqual([]);

    // erasing the lead tells claims and escalation both cases
    await h.service.parts.leads.erase(email, systemCaller('test'));
    const told = (await h.outbox('LeadErased'))
      .filter((e) => e.type === 'LeadErased')
      .flatMap((e) => (e.data as { caseIds: string[] }).caseIds);
    expect(told).toEqual(expect.arrayContaining(['case-older', 'case-recent']));
  });
});
