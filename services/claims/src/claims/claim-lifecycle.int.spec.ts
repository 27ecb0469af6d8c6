// changeClaimStatus and the automatic triggers over real HTTP and PostgreSQL: the lifecycle
// table enforced, who changed what recorded, escalations published once, refusals writing nothing.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { CHANGE_CLAIM_STATUS, startClaims, UPDATE_CLAIM } from '../../test/harness';
import type { ClaimStatus } from '../../test/generated/graphql';

// claims stay NEW when opened (no automatic routing): these tests move them by hand from NEW
const h = perFile(() => startClaims('claims_lifecycle', { settings: { autoRouting: false } }));

const open = (overrides: Record<string, unknown> = {}) => h.open(overrides);
// some statuses are wrong on purpose (the lifecycle refuses them)
const change = (id: string, status: string, reason?: string) =>
  h.gql(CHANGE_CLAIM_STATUS, { input: { id, status: status as ClaimStatus, ...(reason ? { reason } : {}) } });
const eventsOf = async (claimId: string) => (await h.outbox()).filter((e) => e.message_key === claimId);
const typesOf = async (claimId: string) => (await eventsOf(claimId)).map((e) => e.event_type);

describe('changeClaimStatus', () => {
  it('moves a claim along the lifecycle, recording who and why, and stamps date_fermeture on CLOSED', async () => {
    const claim = await open();
    const steps: [string, string][] = [
      ['IN_PROGRESS', 'pris en charge'],
      ['VALIDATION', 'montant validé'],
      ['CLOSED', 'indemnisé'],
    ];
    let last = claim;
    for (const [status, reason] of steps) {
      const res = await change(claim.id, status, reason);
      expect(res.errors).toBeUndefined();
      expect(res.data!.changeClaimStatus.status).toBe(status);
      expect(Date.parse(res.data!.changeClaimStatus.updatedAt)).toBeGreaterThanOrEqual(
        Date.parse(last.updatedAt),
      );
      last = res.data!.changeClaimStatus;
    }
    expect(last.closedAt).not.toBeNull();
    expect(last.statusHistory.map((s) => [s.from, s.to, s.reason, s.actorKind, s.actorId])).toEqual([
      ['NEW', 'IN_PROGRESS', 'pris en charge', 'advisor', 'adv-1'],
      ['IN_PROGRESS', 'VALIDATION', 'montant validé', 'advisor', 'adv-1'],
      ['VALIDATION', 'CLOSED', 'indemnisé', 'advisor', 'adv-1'],
    ]);
    const changed = (await eventsOf(claim.id)).filter((e) => e.event_type === 'ClaimStatusChanged');
    expect(changed.map((e) => e.payload.data)).toEqual([
      expect.objectContaining({ from: 'NEW', to: 'IN_PROGRESS', reason: 'pris en charge' }),
      expect.objectContaining({ from: 'IN_PROGRESS', to: 'VALIDATION' }),
      expect.objectContaining({ from: 'VALIDATION', to: 'CLOSED', clientId: expect.any(String) }),
    ]);
    expect(changed[2]!.payload).toMatchObject({ actor: { kind: 'advisor', id: 'adv-1' } });
  });

  it('refuses a transition outside the table with CLAIM.INVALID_TRANSITION and writes nothing', async () => {
    const claim = await open();
    const outboxBefore = (await h.outbox()).length;
    const refused = await change(claim.id, 'CLOSED', 'trop tôt');
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CLAIM.INVALID_TRANSITION',
      details: { from: 'NEW', to: 'CLOSED' },
    });
    const same = await change(claim.id, 'NEW');
    expect(same.errors?.[0]?.extensions.code).toBe('CLAIM.INVALID_TRANSITION');

    await change(claim.id, 'IN_PROGRESS');
    await change(claim.id, 'CLOSED');
    const closedRow: { status_dossier: string; date_modification: Date }[] =
      await h.service.runtime.dataSource.query(
        `select status_dossier, date_modification from sinistres where id = $1`,
        [claim.id],
      );
    const outboxClosed = (await h.outbox()).length;
    expect(outboxClosed).toBe(outboxBefore + 2);
    // CLOSED is terminal
    const reopen = await change(claim.id, 'IN_PROGRESS');
    expect(reopen.errors?.[0]?.extensions).toMatchObject({
      code: 'CLAIM.INVALID_TRANSITION',
      details: { from: 'CLOSED', to: 'IN_PROGRESS', allowed: [] },
    });
    const after: { status_dossier: string; date_modification: Date }[] =
      await h.service.runtime.dataSource.query(
        `select status_dossier, date_modification from sinistres where id = $1`,
        [claim.id],
      );
    expect(after).toEqual(closedRow);
    expect((await h.outbox()).length).toBe(outboxClosed);
  });

  it('validates its input and reports unknown claims', async () => {
    const bad = await h.gql(CHANGE_CLAIM_STATUS, {
      input: { id: 'nope', status: 'CLOSED', reason: 'x'.repeat(501) },
    });
    expect(bad.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');
    const fields = (bad.errors?.[0]?.extensions.details?.problems as { field: string }[]).map((p) => p.field);
    expect(fields.sort()).toEqual(['id', 'reason']);
    const missing = await change(randomUUID(), 'IN_PROGRESS');
    expect(missing.errors?.[0]?.extensions.code).toBe('CLAIM.NOT_FOUND');
  });
});

describe('automatic triggers and recommended actions', () => {
  it('escalates on opening with each trigger and its reason, and raises missing documents as an alert only', async () => {
    const escalated = await open({ injuries: true, thirdPartyResponsible: true, photoUrls: [] });
    expect(escalated).toMatchObject({ status: 'ESCALATED', handling: 'ESCALATED' });
    expect(escalated.triggers.map((t) => t.code)).toEqual(
      expect.arrayContaining(['INJURIES', 'THIRD_PARTY_RESPONSIBLE', 'MISSING_DOCUMENTS']),
    );
    expect(escalated.triggers.find((t) => t.code === 'MISSING_DOCUMENTS')?.kind).toBe('ALERT');
    expect(escalated.triggers.every((t) => t.reason.length > 0 && !Number.isNaN(Date.parse(t.at)))).toBe(
      true,
    );
    const requested = (await eventsOf(escalated.id)).filter(
      (e) => e.event_type === 'ClaimEscalationRequested',
    );
    expect(requested).toHaveLength(1);
    expect(requested[0]!.payload.data).toMatchObject({
      injuries: true,
      triggers: expect.arrayContaining([
        expect.objectContaining({ code: 'INJURIES' }),
        expect.objectContaining({ code: 'THIRD_PARTY_RESPONSIBLE' }),
      ]),
    });

    const alerted = await open({
      type: 'DAMAGE',
      thirdPartyInvolved: null,
      thirdPartyName: null,
      amicableReport: null,
      amicableReportNumber: null,
      photoUrls: [],
      estimatedDamage: '800',
    });
    expect(alerted.status).toBe('NEW');
    expect(alerted.triggers.map((t) => [t.code, t.kind])).toEqual([['MISSING_DOCUMENTS', 'ALERT']]);
    expect(alerted.recommendedActions).toEqual([
      expect.objectContaining({ type: 'CLIENT_INFORMATION', priority: 'HIGH' }),
    ]);
    expect(await typesOf(alerted.id)).toEqual(['ClaimOpened', 'ClaimScored']);
  });

  it('recommends a constat after a collision with a third party and none filled in, an expert for a fire', async () => {
    const noConstat = await open({ amicableReport: false, amicableReportNumber: null });
    expect(noConstat.recommendedActions).toEqual([
      expect.objectContaining({ type: 'SEND_AMICABLE_REPORT', priority: 'HIGH' }),
    ]);
    const fire = await open({
      type: 'FIRE',
      thirdPartyInvolved: null,
      thirdPartyName: null,
      amicableReport: null,
      amicableReportNumber: null,
      estimatedDamage: '3000',
    });
    expect(fire.recommendedActions.map((a) => a.type)).toContain('EXPERT_APPRAISAL');
  });

  it('escalates again on a trigger the claim never had once an advisor has taken it, never for the same one', async () => {
    const claim = await open({ injuries: true });
    expect(claim.status).toBe('ESCALATED');
    await change(claim.id, 'IN_PROGRESS', 'conseiller en charge');

    // correcting other facts while injuries stay: the escalation was dealt with
    const corrected = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, estimatedDamage: '3100' },
    });
    expect(corrected.data!.updateClaim.status).toBe('IN_PROGRESS');

    const responsible = await h.gql(UPDATE_CLAIM, {
      input: { id: claim.id, thirdPartyResponsible: true },
    });
    expect(responsible.data!.updateClaim.status).toBe('ESCALATED');
    const requested = (await eventsOf(claim.id)).filter((e) => e.event_type === 'ClaimEscalationRequested');
    expect(requested).toHaveLength(2);
    expect(requested[1]!.payload.data).toMatchObject({
      previousStatus: 'IN_PROGRESS',
      triggers: expect.arrayContaining([
        expect.objectContaining({ code: 'INJURIES' }),
        expect.objectContaining({ code: 'THIRD_PARTY_RESPONSIBLE' }),
      ]),
    });
  });
});
