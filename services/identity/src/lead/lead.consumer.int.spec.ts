// Leads upserted from claims' CaseEventRecorded events, through the real consumer (in-process
// transport, real PostgreSQL): created, enriched, idempotent, never rolled back.
import type { EventDataMap } from '@crm/events';
import { startServiceForTest, type ServiceHarness } from '@crm/testing';
import { graphql } from '../../test/generated';
import { envSchema } from '../env';
import { definitionFromEnv } from '../service';
import { LEADS_CONSUMER } from './lead.consumer';

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
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await startServiceForTest(definitionFromEnv, { envSchema, label: 'identity_leads' });
  });
  afterAll(() => h.stop());

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
});
