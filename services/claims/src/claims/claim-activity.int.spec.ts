// Claim.activity and recordClaimActivity over real HTTP and PostgreSQL: the timeline derived
// from the status history, the triggers, the case journal (a partner's APPOINTMENT_BOOKED) and
// the declaration's documents, plus a recorded letter; the refusals and their codes.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { partnerEventId } from '@crm/events';
import { PARTNER_CONSUMER, partnerInboundTopic } from '../cases/partner.consumer';
import { CHANGE_CLAIM_STATUS, CLAIM, RECORD_CLAIM_ACTIVITY, startClaims } from '../../test/harness';
import type { ClaimStatus, RecordClaimActivityInput } from '../../test/generated/graphql';
import { partnerMessage, type PartnerMessage } from '../../test/partner';

// claims stay NEW when opened (no automatic routing): these tests move them by hand from NEW
const h = perFile(() => startClaims('claims_activity', { settings: { autoRouting: false } }));

async function ingest(message: PartnerMessage): Promise<void> {
  await h.transport.send([
    {
      topic: partnerInboundTopic(h.service.runtime),
      key: message.email,
      value: JSON.stringify(message),
      headers: {},
    },
  ]);
  await h.processed(PARTNER_CONSUMER, partnerEventId(message.source, message.source_id));
}

const open = (overrides: Record<string, unknown> = {}) => h.open(overrides);

async function change(id: string, status: string, reason: string): Promise<void> {
  const res = await h.gql(CHANGE_CLAIM_STATUS, { input: { id, status: status as ClaimStatus, reason } });
  expect(res.errors).toBeUndefined();
}

// some inputs are wrong on purpose (the service's validation answers them)
const record = (input: Record<string, unknown>) =>
  h.gql(RECORD_CLAIM_ACTIVITY, { input: input as RecordClaimActivityInput });
const outboxOf = async (claimId: string) => (await h.outbox()).filter((e) => e.message_key === claimId);

describe('Claim.activity (seed « Actions Affichables »)', () => {
  it('shows documents, expertise, the garage appointment, the validated amount and a recorded letter, newest first', async () => {
    // a partner case (the lead's first contact), which the claim then joins
    const email = `lead-${randomUUID()}@example.fr`;
    const intent = { email, intent: 'SINISTRE', site_id: 'crm-web' };
    await ingest(partnerMessage('AUDIT_COMPLETED', { ...intent, timestamp: new Date().toISOString() }));
    const [partnerCase] = await h.casesOfLead<{ case_id: string; lead_id: string | null }>(email);
    const caseId = partnerCase!.case_id;

    const claim = await open({ caseId, photoUrls: ['https://photos.example.fr/1.jpg'] });
    expect(claim.activity).toEqual([
      {
        kind: 'DOCUMENTS_RECEIVED',
        label: 'Documents reçus',
        at: expect.any(String) as string,
        detail: '1 photo ou document joint à la déclaration',
      },
    ]);

    await change(claim.id, 'IN_PROGRESS', 'pris en charge');
    await change(claim.id, 'EXPERT_REVIEW', 'expert mandaté');
    await ingest(
      partnerMessage('APPOINTMENT_BOOKED', {
        ...intent,
        timestamp: new Date().toISOString(),
        payload: {
          provider: 'CALENDLY',
          event_uri: 'https://calendly.com/events/garage',
          start_time: '2026-12-03T09:30:00Z',
          end_time: '2026-12-03T10:30:00Z',
          location: 'Garage du Centre, Lyon',
        },
      }),
    );
    await change(claim.id, 'VALIDATION', 'montant de 2 300 € validé');
    const before = claim.updatedAt;
    const letter = await record({
      claimId: claim.id,
      kind: 'LETTER_SENT',
      detail: 'Courrier de confirmation du règlement',
    });
    expect(letter.errors).toBeUndefined();
    // recording is progress: the 5-day timer counts from it
    expect(Date.parse(letter.data!.recordClaimActivity.updatedAt)).toBeGreaterThan(Date.parse(before));

    const res = await h.gql(CLAIM, { id: claim.id });
    expect(res.errors).toBeUndefined();
    const activity = res.data!.claim!.activity;
    expect(activity.map((a) => [a.kind, a.label, a.detail])).toEqual([
      ['LETTER_SENT', 'Courrier envoyé', 'Courrier de confirmation du règlement'],
      ['AMOUNT_VALIDATED', 'Montant validé', 'montant de 2 300 € validé'],
      ['GARAGE_APPOINTMENT', 'Rendez-vous garage prévu', 'Le 03/12/2026 09:30 UTC, Garage du Centre, Lyon'],
      ['EXPERTISE_IN_PROGRESS', 'Expertise en cours', 'expert mandaté'],
      ['DOCUMENTS_RECEIVED', 'Documents reçus', '1 photo ou document joint à la déclaration'],
    ]);
    const instants = activity.map((a) => Date.parse(a.at));
    expect([...instants].sort((a, b) => b - a)).toEqual(instants);

    const [event] = (await outboxOf(claim.id)).filter((e) => e.event_type === 'ClaimActivityRecorded');
    expect(event?.payload).toMatchObject({
      type: 'ClaimActivityRecorded',
      data: {
        claimId: claim.id,
        kind: 'LETTER_SENT',
        label: 'Courrier envoyé',
        detail: 'Courrier de confirmation du règlement',
        at: activity[0]!.at,
      },
    });
  });

  it('shows the missing-documents alert, and records documents received later at the given instant', async () => {
    const claim = await open({ photoUrls: [] });
    expect(claim.activity.map((a) => [a.kind, a.label])).toEqual([
      ['ALERT', 'Alerte : information manquante'],
    ]);
    const at = new Date(Date.now() - 60_000).toISOString();
    const res = await record({
      claimId: claim.id,
      kind: 'DOCUMENTS_RECEIVED',
      detail: 'Photos du pare-chocs',
      at,
    });
    expect(res.errors).toBeUndefined();
    // placed at the given instant (before the opening's alert), not when it was recorded
    expect(res.data!.recordClaimActivity.activity).toEqual([
      claim.activity[0],
      { kind: 'DOCUMENTS_RECEIVED', label: 'Documents reçus', at, detail: 'Photos du pare-chocs' },
    ]);
    // the documents asked for at the opening have come: the action that asked for them is done
    const asked = (await h.service.parts.claims.actionsByClaims([claim.id])).filter(
      (a) => a.type === 'info_client',
    );
    expect(asked.map((a) => ({ statut: a.status, motif_statut: a.statusReason }))).toEqual([
      { statut: 'faite', motif_statut: 'Documents reçus' },
    ]);
    // at rest, the reason is sealed under the claim's key (issue 18)
    const [stored] = await h.sql<{ motif_statut: string }>(
      `select motif_statut from actions_recommandees where id = $1`,
      [asked[0]!.id],
    );
    expect(stored!.motif_statut).toMatch(/^pd1:/);
  });

  it('refuses with stable codes and writes nothing: unknown claim, derived kind, too long detail, future instant, archived claim', async () => {
    const claim = await open();
    const unknown = await record({ claimId: randomUUID(), kind: 'LETTER_SENT' });
    expect(unknown.errors![0]!.extensions.code).toBe('CLAIM.NOT_FOUND');

    const derived = await record({ claimId: claim.id, kind: 'AMOUNT_VALIDATED' });
    expect(derived.data).toBeFalsy();
    expect(derived.errors![0]!.message).toMatch(/RecordableClaimActivityKind/);

    const invalid = await record({
      claimId: claim.id,
      kind: 'LETTER_SENT',
      detail: 'x'.repeat(501),
      at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(invalid.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    const fields = (invalid.errors![0]!.extensions.details!.problems as { field: string }[]).map(
      (p) => p.field,
    );
    expect(fields.sort()).toEqual(['at', 'detail']);

    const archived = await h.gql(`mutation ($id: ID!) { archiveClaim(id: $id) { id } }`, { id: claim.id });
    expect(archived.errors).toBeUndefined();
    const late = await record({ claimId: claim.id, kind: 'LETTER_SENT' });
    expect(late.errors![0]!.extensions.code).toBe('CLAIM.ARCHIVED');

    const rows = await h.sql(`select * from activites_sinistre where sinistre_id = $1`, [claim.id]);
    expect(rows).toEqual([]);
    expect((await outboxOf(claim.id)).map((e) => e.event_type)).not.toContain('ClaimActivityRecorded');
  });

  it('keeps the entries in rows of their own, and Claim.activity reads the newest of them by instant', async () => {
    const claim = await open();
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    // recorded in this order, happened in another: 10, 30 and 20 minutes ago
    for (const [detail, minutesAgo] of [
      ['a', 10],
      ['b', 30],
      ['c', 20],
    ] as const) {
      const res = await record({ claimId: claim.id, kind: 'LETTER_SENT', detail, at: at(minutesAgo) });
      expect(res.errors).toBeUndefined();
    }
    // the claim's own row no longer carries them
    const [row] = await h.sql(`select * from sinistres where id = $1`, [claim.id]);
    expect(Object.keys(row!)).not.toContain('activites');
    // the repository's cut keeps the newest by instant, in the order recorded
    const cut = await h.service.parts.claims.recordedActivities([claim.id], 2);
    expect(cut.map((a) => a.detail)).toEqual(['a', 'c']);
    expect(cut[0]).toMatchObject({
      claimId: claim.id,
      kind: 'LETTER_SENT',
      actor: { kind: 'advisor', id: 'adv-1' },
    });
    const res = await h.gql(CLAIM, { id: claim.id });
    expect(res.data!.claim!.activity.filter((a) => a.kind === 'LETTER_SENT').map((a) => a.detail)).toEqual([
      'a',
      'c',
      'b',
    ]);
  });
});
