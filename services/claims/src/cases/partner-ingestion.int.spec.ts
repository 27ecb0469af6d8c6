// Seed 2's partner ingestion on a real PostgreSQL database, the partners' messages put on
// the inbound topic of the in-process transport in their own format: idempotent journal,
// the 30-day merge rule, the projection that never goes back, dead letters, CaseEventRecorded
// and casesByLead.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { partnerEventId } from '@crm/events';
import { startClaims } from '../../test/harness';
import { graphql } from '../../test/generated';
import { daysAfter, partnerMessage, type PartnerMessage } from '../../test/partner';
import { PARTNER_HTTP_INGESTION } from './case.service';
import { PARTNER_CONSUMER, partnerInboundTopic } from './partner.consumer';

const h = perFile(() => startClaims('claims_partner'));

const topic = () => partnerInboundTopic(h.service.runtime);
const idOf = (m: PartnerMessage) => partnerEventId(m.source, m.source_id);
const leadEmail = () => `lead-${randomUUID()}@example.fr`;

/** As a partner would publish them: raw values, keyed by e-mail (a raw string: by `rawKey`). */
async function publish(messages: (PartnerMessage | string)[], rawKey = 'malformed'): Promise<void> {
  await h.transport.send(
    messages.map((m) => ({
      topic: topic(),
      key: typeof m === 'string' ? rawKey : m.email.toLowerCase(),
      value: typeof m === 'string' ? m : JSON.stringify(m),
      headers: {},
    })),
  );
}

async function ingest(...messages: PartnerMessage[]): Promise<void> {
  await publish(messages);
  await h.processed(PARTNER_CONSUMER, ...new Set(messages.map(idOf)));
}

interface CaseRow {
  case_id: string;
  lead_id: string | null;
  intent: string;
  site_id: string;
  status: string;
  confidence_score: number | null;
  last_event_at: Date | null;
  next_action_at: Date | null;
}
const casesOf = (email: string) => h.casesOfLead<CaseRow>(email);
const journalOf = (caseId: string) =>
  h.sql<{ event_id: string; type: string; timestamp: Date }>(
    `select event_id, type, timestamp from case_events where case_id = $1 order by timestamp`,
    [caseId],
  );

describe('partner ingestion (claims.partner-ingestion)', () => {
  it('journals a message delivered twice once, in a new case, and publishes CaseEventRecorded with the normalised lead', async () => {
    const email = leadEmail();
    const message = partnerMessage('AUDIT_COMPLETED', {
      email: `  ${email.toUpperCase()}`.replace('@EXAMPLE.FR', '@Example.FR'),
      phone: '+33612345678',
      name: '  marie   DUPONT ',
    });
    // the schema's e-mail format refuses leading spaces: the partner sends it trimmed, mixed case
    message.email = message.email.trim();
    await publish([message, message]);
    // a later message of the same key: once it is processed, both copies were handled
    const after = partnerMessage('CALL_REQUESTED', {
      email: message.email,
      timestamp: daysAfter('2026-03-01T10:00:00Z', 1),
    });
    await ingest(after);

    const cases = await casesOf(email);
    expect(cases).toHaveLength(1);
    const journal = await journalOf(cases[0]!.case_id);
    expect(journal.map((j) => [j.event_id, j.type])).toEqual([
      [idOf(message), 'AUDIT_COMPLETED'],
      [idOf(after), 'CALL_REQUESTED'],
    ]);

    // keyed by the case: the lead's e-mail is no Kafka key (keys are not sealed), and the
    // stored events hold his e-mail, phone and name sealed only (docs/privacy.md, Events)
    const recorded = (await h.outbox()).filter(
      (e) => e.event_type === 'CaseEventRecorded' && e.message_key === cases[0]!.case_id,
    );
    expect(recorded).toHaveLength(2);
    const stored = JSON.stringify(
      await h.sql(`select message_key, payload from event_outbox where event_type = 'CaseEventRecorded'`),
    );
    for (const clear of [email, '+33612345678', 'Marie Dupont']) expect(stored).not.toContain(clear);
    expect(recorded[0]!.payload).toMatchObject({
      type: 'CaseEventRecorded',
      source: 'claims',
      subject: cases[0]!.case_id,
      actor: { kind: 'partner', id: 'WEB_CHAT' },
      causationId: idOf(message),
      data: {
        caseId: cases[0]!.case_id,
        leadId: email,
        phone: '+33612345678',
        name: 'Marie Dupont',
        intent: 'DTV',
        siteId: 'siam-visa-pro',
        eventId: idOf(message),
        eventType: 'AUDIT_COMPLETED',
        source: 'WEB_CHAT',
        occurredAt: '2026-03-01T10:00:00.000Z',
        createdCase: true,
      },
    });
    expect(recorded[1]!.payload).toMatchObject({ data: { createdCase: false, phone: null, name: null } });
  });

  it('puts two events 10 days apart for the same lead, intent and site in one case, projected', async () => {
    const email = leadEmail();
    const t0 = '2026-03-01T10:00:00.000Z';
    const audit = partnerMessage('AUDIT_COMPLETED', { email, timestamp: t0 });
    const booked = partnerMessage('APPOINTMENT_BOOKED', { email, timestamp: daysAfter(t0, 10) });
    await ingest(audit, booked);

    const cases = await casesOf(email);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      intent: 'DTV',
      site_id: 'siam-visa-pro',
      status: 'CALL_SCHEDULED',
      confidence_score: 85,
      last_event_at: new Date(daysAfter(t0, 10)),
      next_action_at: new Date('2026-03-20T14:00:00Z'),
    });
    expect((await journalOf(cases[0]!.case_id)).map((j) => j.type)).toEqual([
      'AUDIT_COMPLETED',
      'APPOINTMENT_BOOKED',
    ]);
  });

  it('opens a second case 31 days after the last event, and another for a different intent or site', async () => {
    const email = leadEmail();
    const t0 = '2026-03-01T10:00:00.000Z';
    await ingest(
      partnerMessage('AUDIT_COMPLETED', { email, timestamp: t0 }),
      partnerMessage('CHAT_SUMMARIZED', { email, timestamp: daysAfter(t0, 31) }),
      partnerMessage('CALL_REQUESTED', { email, timestamp: daysAfter(t0, 31), intent: 'RETIREMENT' }),
      partnerMessage('CALL_REQUESTED', { email, timestamp: daysAfter(t0, 31), site_id: 'other-site' }),
    );
    const cases = await casesOf(email);
    expect(cases.map((c) => [c.intent, c.site_id, c.status])).toEqual(
      expect.arrayContaining([
        ['DTV', 'siam-visa-pro', 'AUDIT_DONE'],
        ['DTV', 'siam-visa-pro', 'SUMMARIZED'],
        ['RETIREMENT', 'siam-visa-pro', 'CALL_REQUESTED'],
        ['DTV', 'other-site', 'CALL_REQUESTED'],
      ]),
    );
    expect(cases).toHaveLength(4);

    // the advisor finds them all from the lead's e-mail, however it is typed
    const res = await h.gql(
      graphql(`
        query LeadCases($email: String!) {
          casesByLead(email: $email) {
            id
            lastEventAt
            events {
              totalCount
            }
          }
        }
      `),
      { email: `  ${email.toUpperCase()} ` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.casesByLead).toHaveLength(4);
    expect(res.data!.casesByLead[3]!).toMatchObject({ lastEventAt: t0, events: { totalCount: 1 } });
  });

  it('a CALL_REQUESTED also asks for a call back (CaseCallRequested), once, whatever the replays', async () => {
    const email = leadEmail();
    const call = partnerMessage('CALL_REQUESTED', {
      email,
      phone: '+33612345678',
      name: 'jean  MARTIN',
      timestamp: '2026-03-02T09:15:00.000Z',
      payload: {
        reason: 'case_complexity',
        visa_type: 'DTV',
        user_stage: 'documents_review',
        notes: `  ${'N'.repeat(2500)}`,
      },
    });
    const audit = partnerMessage('AUDIT_COMPLETED', { email, timestamp: '2026-03-02T10:00:00.000Z' });
    await publish([call, call]);
    await ingest(audit);
    const [theCase] = await casesOf(email);

    const requests = (await h.outbox()).filter(
      (e) => e.event_type === 'CaseCallRequested' && e.message_key === theCase!.case_id,
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]!.payload).toMatchObject({
      source: 'claims',
      subject: theCase!.case_id,
      actor: { kind: 'partner', id: 'WEB_CHAT' },
      causationId: idOf(call),
      data: {
        caseId: theCase!.case_id,
        leadId: email,
        name: 'Jean Martin',
        phone: '+33612345678',
        intent: 'DTV',
        siteId: 'siam-visa-pro',
        eventId: idOf(call),
        reason: 'case_complexity',
        userStage: 'documents_review',
        notes: 'N'.repeat(2000),
        requestedAt: '2026-03-02T09:15:00.000Z',
        // the case's next_action_at: the 4-hour call-back SLA
        callBackBy: '2026-03-02T13:15:00.000Z',
      },
    });
  });

  it('journals a late event without rolling the projection back', async () => {
    const email = leadEmail();
    const t0 = '2026-03-01T10:00:00.000Z';
    const call = partnerMessage('CALL_REQUESTED', { email, timestamp: daysAfter(t0, 5) });
    await ingest(call);
    const before = (await casesOf(email))[0]!;
    expect(before).toMatchObject({
      status: 'CALL_REQUESTED',
      last_event_at: new Date(daysAfter(t0, 5)),
      next_action_at: new Date(new Date(daysAfter(t0, 5)).getTime() + 4 * 3_600_000),
    });

    const late = partnerMessage('AUDIT_COMPLETED', {
      email,
      timestamp: t0,
      payload: { ...(partnerMessage('AUDIT_COMPLETED').payload as object), confidence_score: 12 },
    });
    await ingest(late);
    const cases = await casesOf(email);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toEqual(before);
    expect((await journalOf(before.case_id)).map((j) => [j.type, j.timestamp])).toEqual([
      ['AUDIT_COMPLETED', new Date(t0)],
      ['CALL_REQUESTED', new Date(daysAfter(t0, 5))],
    ]);
  });

  it('dead-letters malformed messages and goes on with the next valid one', async () => {
    const email = leadEmail();
    const health = async () =>
      (await h.service.runtime.events.health()).consumers.find((c) => c.consumer === PARTNER_CONSUMER)!;
    const deadBefore = (await health()).deadLettered;
    const { source_id: _dropped, ...withoutSourceId } = partnerMessage('AUDIT_COMPLETED', { email });
    const badPayload = partnerMessage('AUDIT_COMPLETED', { email, payload: { visa_type: 'DTV' } });
    const valid = partnerMessage('CHAT_SUMMARIZED', { email });
    // one key, so one partition: processed in this order, the valid one last
    await publish(['{not json', JSON.stringify(withoutSourceId), badPayload, valid], email);
    await h.processed(PARTNER_CONSUMER, idOf(valid));

    const spec = h.service.runtime.events.catalog.topics.find((t) => t.format === 'partner')!;
    const dead = h.transport.records(spec.dlq.name).slice(-3);
    expect(dead.map((d) => d.headers['dlq-error-code'])).toEqual([
      'EVENT.MALFORMED',
      'EVENT.INVALID_SCHEMA',
      'EVENT.INVALID_SCHEMA',
    ]);
    expect((await health()).deadLettered).toBe(deadBefore + 3);
    const cases = await casesOf(email);
    expect(cases.map((c) => c.status)).toEqual(['SUMMARIZED']);
    expect(await journalOf(cases[0]!.case_id)).toHaveLength(1);
  });

  it('refuses casesByLead without an e-mail address (VALIDATION.FAILED)', async () => {
    const res = await h.gql(`{ casesByLead(email: "not-an-email") { id } }`);
    expect(res.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    const none = await h.gql(
      graphql(`
        query NobodysCases {
          casesByLead(email: "nobody@example.fr") {
            id
          }
        }
      `),
    );
    expect(none.data!.casesByLead).toEqual([]);
  });

  it("journals a partner's message sent over HTTP (ingestPartnerMessage) as one from the topic, never through Kafka", async () => {
    const INGEST = `mutation ($message: JSON!) { ingestPartnerMessage(message: $message) { id caseId recorded } }`;
    const partner = { sub: 'WEB_CHAT', roles: ['partner' as const] };
    const email = leadEmail();
    const message = partnerMessage('CALL_REQUESTED', {
      email: ` ${email.toUpperCase()} `,
      phone: '06 12 34 56 78',
    });
    const before = h.transport.records(topic()).length;
    type Receipt = { ingestPartnerMessage: { id: string; caseId: string | null; recorded: boolean } };
    const first = await h.gql<Receipt>(INGEST, { message }, partner);
    expect(first.errors).toBeUndefined();
    expect(first.data!.ingestPartnerMessage).toMatchObject({ id: idOf(message), recorded: true });
    const [found] = await casesOf(email);
    expect(first.data!.ingestPartnerMessage.caseId).toBe(found!.case_id);
    expect(found).toMatchObject({ lead_id: email, status: 'CALL_REQUESTED' });
    expect(await journalOf(found!.case_id)).toHaveLength(1);
    // the same message again (a partner's retry): journaled once
    const again = await h.gql<Receipt>(INGEST, { message }, partner);
    expect(again.data!.ingestPartnerMessage).toEqual({ id: idOf(message), caseId: null, recorded: false });
    expect(await journalOf(found!.case_id)).toHaveLength(1);
    // its CaseEventRecorded and CaseCallRequested carry the lead sealed, as from the topic
    const recorded = (await h.outbox()).filter(
      (r) =>
        r.event_type === 'CaseCallRequested' &&
        (r.payload.data as { caseId?: string }).caseId === found!.case_id,
    );
    expect(recorded).toHaveLength(1);
    // nothing of it went through the partner inbound topic
    expect(h.transport.records(topic())).toHaveLength(before);

    // a partner sends only its own source's messages; bad messages are refused with the code the
    // topic's consumer would dead-letter them with; staff cannot send partners' messages
    const other = await h.gql(
      INGEST,
      { message: { ...message, source_id: 'x-1' } },
      { sub: 'CALENDLY', roles: ['partner'] },
    );
    expect(other.errors![0]!.extensions.code).toBe('CASE.PARTNER_SOURCE_MISMATCH');
    const invalid = await h.gql(INGEST, { message: { ...message, email: 'nobody' } }, partner);
    expect(invalid.errors![0]!.extensions).toMatchObject({
      code: 'CASE.PARTNER_MESSAGE_INVALID',
      details: { code: 'EVENT.NO_IDENTITY' },
    });
    const staff = await h.gql(INGEST, { message });
    expect(staff.errors![0]!.extensions.code).toBe('AUTH.FORBIDDEN');

    // a phone it cannot read: journaled without it, noted, and counted as the topic's are
    const notes = async () =>
      (await h.service.runtime.events.metrics.identityNotes.get()).values.find(
        (v) => v.labels.consumer === PARTNER_HTTP_INGESTION && v.labels.field === 'phone',
      )?.value ?? 0;
    const counted = await notes();
    const unreadable = partnerMessage('AUDIT_COMPLETED', { email: leadEmail(), phone: 'le soir' });
    expect((await h.gql<Receipt>(INGEST, { message: unreadable }, partner)).errors).toBeUndefined();
    expect(await notes()).toBe(counted + 1);
  });
});
