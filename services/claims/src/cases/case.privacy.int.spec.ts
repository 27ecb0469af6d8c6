// Seed 2's case journal at rest (issue 18): the lead and what the partners said are sealed under
// each case's key, found by the lead's blind index, read back through the graph; an erased
// lead's cases (LeadErased, or ClientErased's leadCaseIds) can no longer be read, their status,
// dates and entry types stay, and a new event of his opens a new case. The migration seals the
// journal written before it. Real PostgreSQL, in-process transport.
import { randomUUID } from 'node:crypto';
import { newEvent, partnerMessageKey, type EventEnvelope } from '@crm/events';
import { freshServicePrivacy, serviceVault } from '@crm/privacy';
import { perFile, migrateFrom, tablesText } from '@crm/testing';
import { startClaims } from '../../test/harness';
import { ingestPartner, partnerMessage } from '../../test/partner';
import { ERASURE_CONSUMER } from '../erasure/erasure.consumer';
import { claimsService } from '../service';
import { CaseRepository } from './case.repository';

const h = perFile(() => startClaims('claims_case_privacy'));

const CASES_BY_LEAD = `query ($email: String!) {
  casesByLead(email: $email) { id status leadEmail events { edges { node { type payload summary notes { field received } } } } }
}`;
const CASE = `query ($id: ID!) {
  case(id: $id) { id status leadEmail lastEventAt events { totalCount edges { node { type timestamp payload summary notes { field } } } } }
}`;
interface CaseView {
  id: string;
  status: string;
  leadEmail: string | null;
  lastEventAt?: string | null;
  events: {
    totalCount?: number;
    edges: {
      node: { type: string; timestamp?: string; payload: unknown; summary: unknown; notes: unknown[] };
    }[];
  };
}

/** A lead who told the partner about himself: three events, one with an unreadable phone. */
async function leadWithCase(canary: string) {
  const email = `${canary.toLowerCase()}@example.fr`;
  const call = partnerMessage('CALL_REQUESTED', {
    email,
    timestamp: '2026-03-01T11:00:00Z',
    phone: `appelez ${canary}`,
  });
  call.payload = { ...(call.payload as object), notes: `rappeler ${canary} le soir` };
  await ingestPartner(
    h,
    partnerMessage('AUDIT_COMPLETED', { email, name: `Jean ${canary}`, phone: '06 12 34 56 78' }),
    call,
    partnerMessage('CHAT_SUMMARIZED', {
      email,
      timestamp: '2026-03-01T12:00:00Z',
      summary: { text: `${canary} hésite` },
    }),
  );
  const [found] = await h.casesOfLead<{ case_id: string; lead_id: string | null }>(email);
  return { email, caseId: found!.case_id };
}

async function send<E extends EventEnvelope>(event: E): Promise<E> {
  await h.send(event);
  await h.processed(ERASURE_CONSUMER, event.id);
  return event;
}

const leadErased = (caseIds: string[]) =>
  newEvent(
    'LeadErased',
    {
      leadRecordId: randomUUID(),
      caseIds,
      partnerKey: partnerMessageKey('lead@example.fr'),
      erasedAt: '2026-03-02T09:00:00.000Z',
      reason: 'GDPR_REQUEST',
    },
    { source: 'identity', subject: randomUUID(), actor: { kind: 'advisor', id: randomUUID() } },
  );

describe('the case journal at rest', () => {
  it('keeps no word of the lead in clear, and reads every one back through the graph', async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const { email, caseId } = await leadWithCase(canary);

    const tables = await tablesText(h.sql);
    expect(tables.get('cases')).toMatch(/pd1:/);
    expect(tables.get('case_events')).toMatch(/pd1:/);
    const holding = [...tables]
      .filter(([, text]) => text.includes(canary.toLowerCase()) || text.includes(email))
      .map(([name]) => name);
    expect(holding).toEqual([]);

    // " Jean@X " finds the lead's cases: the blind index is of the normalized e-mail
    const res = await h.gql<{ casesByLead: CaseView[] }>(CASES_BY_LEAD, {
      email: ` ${email.toUpperCase()} `,
    });
    expect(res.errors).toBeUndefined();
    const [read] = res.data!.casesByLead;
    expect(read).toMatchObject({ id: caseId, leadEmail: email });
    const entries = read!.events.edges.map((e) => e.node);
    expect(entries.map((e) => e.type)).toEqual(['AUDIT_COMPLETED', 'CALL_REQUESTED', 'CHAT_SUMMARIZED']);
    expect(entries[1]!.payload).toMatchObject({ notes: `rappeler ${canary} le soir` });
    expect(entries[1]!.notes).toEqual([{ field: 'phone', received: `appelez ${canary}` }]);
    expect(entries[2]!.summary).toEqual({ text: `${canary} hésite` });
    expect(entries[0]!.notes).toEqual([]);
  });

  it('refuses a clear lead or clear words at the database', async () => {
    await expect(
      h.sql(
        `insert into cases (case_id, lead_id, lead_bidx, intent, status) values ($1, 'a@b.fr', 'x', 'X', 'NEW')`,
        [randomUUID()],
      ),
    ).rejects.toThrow(/cases_personal_encrypted_check/);
    const caseId = randomUUID();
    await h.seedCase({ id: caseId, leadId: 'a@b.fr', intent: 'X', status: 'NEW' });
    for (const [payload, summary, notes] of [
      ['{"notes": "en clair"}', null, '[]'],
      ['"pd1:AAAA"', '{"text": "en clair"}', '[]'],
      ['"pd1:AAAA"', null, '[{"field": "phone", "received": "06"}]'],
    ])
      await expect(
        h.sql(
          `insert into case_events (event_id, case_id, type, timestamp, source, source_id, payload, summary, notes)
           values ($1, $2, 'AUDIT_COMPLETED', now(), 'T', $1, $3, $4, $5)`,
          [randomUUID(), caseId, payload, summary, notes],
        ),
      ).rejects.toThrow(/case_events_personal_encrypted_check/);
  });
});

describe("an erased lead's cases", () => {
  it('LeadErased: nothing of the lead can be read any more, the journal keeps its types and dates', async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const { email, caseId } = await leadWithCase(canary);
    const other = await leadWithCase(`Autre${randomUUID().slice(0, 8)}`);
    const before = await h.gql<{ case: CaseView }>(CASE, { id: caseId });
    const storedBefore = await h.sql(`select * from case_events where case_id = $1 order by event_id`, [
      caseId,
    ]);

    const erasure = await send(leadErased([caseId, 'a-case-claims-never-had']));
    // proven to identity (the lead erasure's progress): the one case claims had
    const proofs = (await h.outbox()).filter((r) => r.event_type === 'LeadCasesErased');
    expect(proofs.map((r) => r.payload.data)).toEqual([
      {
        leadRecordId: erasure.data.leadRecordId,
        erasureEventId: erasure.id,
        erasedAt: expect.any(String),
        items: 1,
      },
    ]);

    const after = await h.gql<{ case: CaseView }>(CASE, { id: caseId });
    expect(after.errors).toBeUndefined();
    expect(after.data!.case).toEqual({
      ...before.data!.case,
      leadEmail: null,
      events: {
        totalCount: 3,
        edges: before.data!.case.events.edges.map(({ node }) => ({
          node: { ...node, payload: null, summary: null, notes: [] },
        })),
      },
    });
    // the journal is immutable: the rows are as they were, their key is gone
    expect(await h.sql(`select * from case_events where case_id = $1 order by event_id`, [caseId])).toEqual(
      storedBefore,
    );
    const [key] = await h.sql<{ wrapped_key: unknown; shredded_at: unknown }>(
      `select wrapped_key, shredded_at from privacy_keys where subject_id = $1`,
      [caseId],
    );
    expect(key).toMatchObject({ wrapped_key: null, shredded_at: expect.any(Date) });
    expect((await h.gql<{ casesByLead: CaseView[] }>(CASES_BY_LEAD, { email })).data!.casesByLead).toEqual(
      [],
    );
    // another lead's case is untouched
    const kept = await h.gql<{ case: CaseView }>(CASE, { id: other.caseId });
    expect(kept.data!.case.leadEmail).toBe(other.email);

    // a new event of his, within the merge window of the erased case, opens a case of its own
    await ingestPartner(h, partnerMessage('AUDIT_COMPLETED', { email, timestamp: '2026-03-01T13:00:00Z' }));
    const now = await h.gql<{ casesByLead: CaseView[] }>(CASES_BY_LEAD, { email });
    expect(now.data!.casesByLead.map((c) => c.id)).not.toContain(caseId);
    expect(now.data!.casesByLead).toHaveLength(1);
    expect(now.data!.casesByLead[0]!.leadEmail).toBe(email);

    // delivered again: nothing more is erased, nothing fails
    await send(leadErased([caseId]));
  });

  it("ClientErased's leadCaseIds: the lead erased with the client, counted in the client's proof", async () => {
    const { caseId } = await leadWithCase(`Client${randomUUID().slice(0, 8)}`);
    const clientId = randomUUID();
    const erasure = await send(
      newEvent(
        'ClientErased',
        {
          clientId,
          contractIds: [],
          leadCaseIds: [caseId],
          erasedAt: '2026-03-02T09:00:00.000Z',
          reason: 'GDPR_REQUEST',
        },
        { source: 'identity', subject: clientId, actor: { kind: 'advisor', id: randomUUID() } },
      ),
    );
    const read = await h.gql<{ case: CaseView }>(CASE, { id: caseId });
    expect(read.data!.case.leadEmail).toBeNull();
    const proofs = (await h.outbox()).filter((r) => r.event_type === 'ClaimsErased');
    expect(proofs.map((p) => p.payload)).toContainEqual(
      expect.objectContaining({
        data: expect.objectContaining({ clientId, erasureEventId: erasure.id, items: 1 }),
      }),
    );
  });
});

describe('EncryptCaseJournal1767800002000', () => {
  it('seals the leads and the journal written before it, and they read back the same', async () => {
    const privacy = freshServicePrivacy();
    const definition = claimsService({ privacy });
    const [partnerCase, claimCase] = ['case-old-1', 'case-old-2'];
    await migrateFrom('claims_encrypt_journal', {
      of: definition,
      name: 'EncryptCaseJournal1767800002000',
      seed: async (old) => {
        await old.query(
          `insert into cases (case_id, lead_id, intent, site_id, status, last_event_at)
           values ($1, 'ancien.lead@example.fr', 'DTV', 'web', 'CALL_REQUESTED', '2026-02-01 10:00'),
                  ($2, $3, 'SINISTRE', null, 'NEW', null)`,
          [partnerCase, claimCase, randomUUID()],
        );
        await old.query(
          `insert into case_events (event_id, case_id, type, timestamp, source, source_id, payload, summary, notes)
           values ('e1', $1, 'CALL_REQUESTED', '2026-02-01 10:00', 'WEB_CHAT', 's1',
                   '{"notes": "rappeler Ancienlead"}', '{"text": "Ancienlead pressé"}',
                   '[{"field": "phone", "code": "PHONE.UNREADABLE", "received": "ancien 06"}]'),
                  ('e2', $1, 'AUDIT_COMPLETED', '2026-02-01 09:00', 'WEB_CHAT', 's2', '{"n": 1}', null, '[]')`,
          [partnerCase],
        );
      },
      check: async (ds) => {
        const text = JSON.stringify([
          await ds.query(`select * from cases`),
          await ds.query(`select * from case_events`),
        ]).toLowerCase();
        for (const clear of ['ancien.lead', 'ancienlead', 'ancien 06']) expect(text).not.toContain(clear);

        const repo = new CaseRepository(ds.manager, serviceVault(privacy, ds));
        expect((await repo.findByLead('Ancien.Lead@example.fr')).map((c) => [c.id, c.leadEmail])).toEqual([
          [partnerCase, 'ancien.lead@example.fr'],
        ]);
        const events = (await repo.findEventsByIds(['e1', 'e2'])).sort((a, b) => a.id.localeCompare(b.id));
        expect(events.map((e) => [e.payload, e.summary, e.notes])).toEqual([
          [
            { notes: 'rappeler Ancienlead' },
            { text: 'Ancienlead pressé' },
            [{ field: 'phone', code: 'PHONE.UNREADABLE', received: 'ancien 06' }],
          ],
          [{ n: 1 }, null, []],
        ]);
        // the journal is immutable again
        await expect(ds.query(`update case_events set source = 'X' where event_id = 'e1'`)).rejects.toThrow(
          /immutable journal/,
        );
      },
    });
  });
});
