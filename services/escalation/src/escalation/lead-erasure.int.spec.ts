// LeadErased, and ClientErased's leadCaseIds (consumer escalation.erasure): the call requests of
// the erased lead's cases lose his words (his e-mail and phone, the request's name and notes,
// the advisors' resolution) and keep the queue's record (case, dates, status, advisor); another
// lead's entry keeps his. The entry can still be resolved afterwards, with no word written.
// Real PostgreSQL, in-process transport, pinned clock.
import { randomUUID } from 'node:crypto';
import { newEvent, partnerMessageKey } from '@crm/events';
import { perFile, tablesText, waitFor } from '@crm/testing';
import { ERASURE_CONSUMER, REQUESTS_CONSUMER } from '../service';
import { RESOLVE_ESCALATION, startHarness, type Harness } from '../../test/harness';
import { EscalationEntity, type CallRequestDetails } from './escalation.entity';

/** the service's pinned now; the partners' requests were made a minute before */
const NOW = new Date('2031-05-12T09:01:00.000Z');
const REQUESTED_AT = new Date(NOW.getTime() - 60_000);

// pinned: a request's age (CALL_REQUEST_MAX_AGE_MS) is read against it, not today
const h = perFile(() => startHarness('escalation_lead_erasure', { clock: () => new Date(NOW.getTime()) }));

async function deliver(consumer: string, ...events: { id: string }[]): Promise<void> {
  await h.send(...(events as Parameters<Harness['send']>));
  const ids = events.map((e) => e.id);
  await waitFor(`${ids.length} events applied by ${consumer}`, async () => {
    return (await h.processedCount(consumer, ids)) === ids.length;
  });
}

/** a lead's words, each holding `canary` (the phone its digits) */
interface Lead {
  canary: string;
  email: string;
  name: string;
  phone: string;
  notes: string;
}
function lead(): Lead {
  const canary = `canari${randomUUID().slice(0, 8)}`;
  const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  return {
    canary,
    email: `${canary}@example.fr`,
    name: `Marie ${canary}`,
    phone: `+336${digits}`,
    notes: `rappeler ${canary} le soir`,
  };
}

/** the lead asks a partner for an expert call on a case of his: CaseCallRequested queued */
async function callRequested(who: Lead): Promise<string> {
  const caseId = randomUUID();
  const request = newEvent(
    'CaseCallRequested',
    {
      caseId,
      leadId: who.email,
      name: who.name,
      phone: who.phone,
      intent: 'DTV',
      siteId: 'siam-visa-pro',
      eventId: randomUUID().replace(/-/g, '').repeat(2),
      reason: 'case_complexity',
      userStage: 'documents_review',
      notes: who.notes,
      requestedAt: REQUESTED_AT.toISOString(),
      callBackBy: new Date(REQUESTED_AT.getTime() + 4 * 3_600_000).toISOString(),
    },
    { source: 'claims', subject: caseId, actor: { kind: 'partner', id: 'WEB_CHAT' } },
  );
  await deliver(REQUESTS_CONSUMER, request);
  return caseId;
}

interface Row {
  id: string;
  dossier_id: string;
  statut: string;
  conseiller_id: string | null;
  raisons: unknown;
  priorite: number;
  date_creation: Date;
  date_assignation: Date | null;
  rappel_avant: Date | null;
  lead_email: string | null;
  lead_telephone: string | null;
  details: unknown;
  resolution: string | null;
}
/** the case's entry as stored (its words sealed) */
const entryOf = async (caseId: string) =>
  (await h.query<Row>(`select * from escalades where dossier_id = $1`, [caseId]))[0]!;
/** the entry as the service reads it */
const openedOf = async (caseId: string) =>
  (await h.service.parts.escalations.repository.findByIds([(await entryOf(caseId)).id]))[0]!;

/** the row as stored before the erasure (as a backup holds it), opened with the service's keys */
async function backupOpened(before: Row): Promise<EscalationEntity> {
  const [opened] = await h.service.parts.escalations.repository.cipher.open([
    Object.assign(new EscalationEntity(), {
      id: before.id,
      leadEmail: before.lead_email,
      leadPhone: before.lead_telephone,
      details: before.details as CallRequestDetails | null,
      offeredCallBackPhone: null,
      resolution: before.resolution,
    }),
  ]);
  return opened!;
}

const requestOf = (who: Lead) => ({
  leadEmail: who.email,
  leadPhone: who.phone,
  details: expect.objectContaining({ name: who.name, notes: who.notes }) as unknown,
});

/** the queue's record of an entry: what an erasure keeps */
const recordOf = (row: Row) => ({
  id: row.id,
  dossier_id: row.dossier_id,
  statut: row.statut,
  conseiller_id: row.conseiller_id,
  raisons: row.raisons,
  priorite: row.priorite,
  date_creation: row.date_creation,
  date_assignation: row.date_assignation,
  rappel_avant: row.rappel_avant,
});

/** the entry's words are gone: emptied, the e-mail's ciphertext kept but unreadable */
async function expectErased(caseId: string, before: Row): Promise<void> {
  const after = await entryOf(caseId);
  expect(after).toMatchObject({
    ...recordOf(before),
    lead_telephone: null,
    details: null,
    resolution: null,
    // a case's entry names its lead (chk_escalades_lead): the ciphertext stays, its key is gone
    lead_email: before.lead_email,
  });
  expect(await openedOf(caseId)).toMatchObject({ leadEmail: null, leadPhone: null, details: null });
  // the row as copied before no longer opens: the entry's key is shredded
  expect(await backupOpened(before)).toMatchObject({ leadEmail: null, leadPhone: null, details: null });
}

const ENTRY = `query($id: ID!) { escalation(id: $id) { status lead { email } callRequest { name } resolution } }`;

describe('LeadErased (consumer escalation.erasure)', () => {
  it("empties the lead's call requests, keeps the entries, and leaves another lead's alone", async () => {
    const [erased, kept] = [lead(), lead()];
    const his = await callRequested(erased);
    const theirs = await callRequested(kept);
    const advisor = await h.registerAdvisor({ capacity: 10 });
    // held by the advisor (taken already, or assigned now: the same holder changes nothing)
    expect((await h.assign((await entryOf(his)).id, advisor.id)).errors).toBeUndefined();

    const before = await entryOf(his);
    expect(before).toMatchObject({ statut: 'assignee', conseiller_id: advisor.id });
    // sealed at rest, readable through the service
    expect(JSON.stringify(before)).not.toContain(erased.canary);
    expect(await openedOf(his)).toMatchObject(requestOf(erased));
    expect(await backupOpened(before)).toMatchObject(requestOf(erased));

    const leadRecordId = randomUUID();
    const erasure = newEvent(
      'LeadErased',
      {
        leadRecordId,
        // a case id that is not a UUID names no entry here: skipped, not an error
        caseIds: [his, 'CASE-legacy-42'],
        partnerKey: partnerMessageKey('lead@example.fr'),
        erasedAt: NOW.toISOString(),
        reason: 'GDPR_REQUEST',
      },
      { source: 'identity', subject: leadRecordId, actor: { kind: 'advisor', id: randomUUID() } },
    );
    await deliver(ERASURE_CONSUMER, erasure);

    await expectErased(his, before);
    // proven to identity (the lead erasure's progress): one entry emptied, for this event
    expect(await h.outbox(leadRecordId)).toEqual([
      {
        event_type: 'LeadCallRequestsErased',
        payload: expect.objectContaining({
          data: { leadRecordId, erasureEventId: erasure.id, erasedAt: expect.any(String), items: 1 },
        }),
      },
    ]);
    const read = await h.gql<{
      escalation: { status: string; lead: null; callRequest: null; resolution: null };
    }>(ENTRY, { id: before.id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.escalation).toEqual({
      status: 'ASSIGNED',
      lead: null,
      callRequest: null,
      resolution: null,
    });
    expect(await openedOf(theirs)).toMatchObject(requestOf(kept));

    // resolved after the erasure: it closes, and what the advisor wrote about the lead is not kept
    const resolved = await h.gql(RESOLVE_ESCALATION, {
      input: { escalationId: before.id, resolution: `${erased.canary} rappelée, rendez-vous pris` },
    });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data!.resolveEscalation).toMatchObject({ status: 'RESOLVED', resolution: null });
    expect(await entryOf(his)).toMatchObject({
      statut: 'resolue',
      resolution: null,
      lead_email: before.lead_email,
      lead_telephone: null,
      details: null,
    });
    // EscalationResolved goes without a resolution (v4): nothing sealed, no key needed, and the
    // entry's consumers (the conversation, the live queue) still learn it is resolved
    const sent = await h.query<{ payload: Record<string, unknown> }>(
      `select payload from event_outbox where message_key = $1 and event_type = 'EscalationResolved'`,
      [before.id],
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload).toMatchObject({ version: 4, data: { escalationId: before.id } });
    expect(sent[0]!.payload).not.toHaveProperty('sealed');
    expect(sent[0]!.payload).not.toHaveProperty('data.resolution');
    const holding = [...(await tablesText(h.query))]
      .filter(([, text]) => text.includes(erased.canary) || text.includes(erased.phone))
      .map(([table]) => table);
    expect(holding).toEqual([]);
    expect(await openedOf(theirs)).toMatchObject(requestOf(kept));
  });
});

describe("ClientErased with the lead's cases (leadCaseIds)", () => {
  it("empties the lead's call requests with the client's, and counts them in the proof", async () => {
    const [erased, kept] = [lead(), lead()];
    const first = await callRequested(erased);
    const second = await callRequested(erased);
    const theirs = await callRequested(kept);
    const before = [await entryOf(first), await entryOf(second)];
    expect(await openedOf(first)).toMatchObject(requestOf(erased));

    const clientId = randomUUID();
    const erasure = newEvent(
      'ClientErased',
      {
        clientId,
        contractIds: [],
        erasedAt: NOW.toISOString(),
        reason: 'GDPR_REQUEST',
        leadCaseIds: [first, second],
      },
      { source: 'identity', subject: clientId, actor: { kind: 'advisor', id: randomUUID() } },
    );
    await deliver(ERASURE_CONSUMER, erasure);

    await expectErased(first, before[0]!);
    await expectErased(second, before[1]!);
    // the proof for identity, committed with the erasure: the lead's two entries (the client
    // himself had none)
    expect((await h.outbox(clientId)).filter((e) => e.event_type === 'EscalationEntriesErased')).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          data: expect.objectContaining({ clientId, erasureEventId: erasure.id, items: 2 }),
        }),
      }),
    ]);
    expect(await openedOf(theirs)).toMatchObject(requestOf(kept));
  });
});
