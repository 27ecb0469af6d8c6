// Recommended actions that get done (issue 19), over real HTTP and PostgreSQL: who changed an
// action, rules that retire and add actions as the facts change, and the overdue alert, with
// the service's clock moved by the test (no dependence on today's date).
import { perFile } from '@crm/testing';
import { graphql } from '../../test/generated';
import { CHANGE_CLAIM_STATUS, startClaims, UPDATE_CLAIM } from '../../test/harness';

const ACTIONS = graphql(`
  query FollowedActions($id: ID!) {
    claim(id: $id) {
      status
      triggers {
        code
        kind
        reason
      }
      activity {
        kind
        label
        detail
      }
      recommendedActions {
        id
        type
        status
        createdAt
        executedAt
        dueAt
        statusChangedByKind
        statusChangedById
        statusChangedAt
        statusReason
        overdueAlertedAt
      }
    }
  }
`);
const SET_ACTION = graphql(`
  mutation FollowActionStatus($input: SetRecommendedActionStatusInput!) {
    setRecommendedActionStatus(input: $input) {
      id
      status
      statusChangedByKind
      statusChangedById
    }
  }
`);

const DAY = 86_400_000;
const start = Date.now();
let offset = 0;
const clock = () => new Date(start + offset);

// claims stay NEW when opened: the statuses are moved by hand here; the poller is left idle
const h = perFile(() =>
  startClaims('claims_action_follow', {
    settings: { autoRouting: false, clock, stallCheckMs: 3_600_000 },
  }),
);

const read = async (id: string) => {
  const res = await h.gql(ACTIONS, { id });
  expect(res.errors).toBeUndefined();
  return res.data!.claim!;
};

describe('recommended actions follow the claim', () => {
  it('records who changed an action; a constat received retires envoyer_constat, by the system, with the reason', async () => {
    const claim = await h.open({ occurredAt: new Date(clock().getTime() - 2 * 3_600_000) });
    const [constat] = (await read(claim.id)).recommendedActions;
    expect(constat).toMatchObject({ type: 'SEND_AMICABLE_REPORT', status: 'PENDING' });
    // NORMAL priority: due 5 days after it was recommended
    expect(Date.parse(constat!.dueAt!) - Date.parse(constat!.createdAt)).toBe(5 * DAY);

    const started = await h.gql(SET_ACTION, { input: { actionId: constat!.id, status: 'IN_PROGRESS' } });
    expect(started.data!.setRecommendedActionStatus).toMatchObject({
      status: 'IN_PROGRESS',
      statusChangedByKind: 'advisor',
      statusChangedById: 'adv-1',
    });

    const updated = await h.gql(UPDATE_CLAIM, { input: { id: claim.id, amicableReportNumber: 'C-123' } });
    expect(updated.errors).toBeUndefined();
    const [retired] = (await read(claim.id)).recommendedActions;
    expect(retired).toMatchObject({
      status: 'DONE',
      statusChangedByKind: 'system',
      statusChangedById: 'claims.actions',
      statusReason: 'Constat reçu (n° C-123)',
    });
    expect(retired!.executedAt).not.toBeNull();
  });

  it('a validated amount adds paiement once; closing the claim ignores what is still open', async () => {
    const claim = await h.open({ occurredAt: new Date(clock().getTime() - 2 * 3_600_000) });
    await h.gql(CHANGE_CLAIM_STATUS, { input: { id: claim.id, status: 'IN_PROGRESS' } });
    await h.gql(CHANGE_CLAIM_STATUS, { input: { id: claim.id, status: 'VALIDATION' } });
    const validated = await read(claim.id);
    // the test's clock stands still: both recommended at the same instant, so compared by type
    expect(validated.recommendedActions.map((a) => [a.type, a.status]).sort()).toEqual([
      ['PAYMENT', 'PENDING'],
      ['SEND_AMICABLE_REPORT', 'PENDING'],
    ]);
    await h.gql(CHANGE_CLAIM_STATUS, { input: { id: claim.id, status: 'CLOSED', reason: 'réglé' } });
    const closed = await read(claim.id);
    expect(closed.recommendedActions.map((a) => [a.type, a.status, a.statusReason]).sort()).toEqual([
      ['PAYMENT', 'IGNORED', 'Dossier fermé'],
      ['SEND_AMICABLE_REPORT', 'IGNORED', 'Dossier fermé'],
    ]);
  });

  it('an action past its due date raises the overdue alert once (« Alerte : délai dépassé »)', async () => {
    const claim = await h.open({ occurredAt: new Date(clock().getTime() - 2 * 3_600_000), photoUrls: [] });
    // info_client (HIGH, 2 days) and envoyer_constat (NORMAL, 5 days)
    expect((await h.service.parts.service.alertOverdueActions()).length).toBe(0);
    offset += 3 * DAY;
    const alerted = await h.service.parts.service.alertOverdueActions();
    const after = await read(claim.id);
    const info = after.recommendedActions.find((a) => a.type === 'CLIENT_INFORMATION')!;
    expect(alerted).toContain(info.id);
    expect(info.overdueAlertedAt).not.toBeNull();
    expect(
      after.recommendedActions.find((a) => a.type === 'SEND_AMICABLE_REPORT')!.overdueAlertedAt,
    ).toBeNull();
    const overdue = after.triggers.filter((t) => t.code === 'ACTION_OVERDUE');
    expect(overdue).toEqual([
      {
        code: 'ACTION_OVERDUE',
        kind: 'ALERT',
        reason: expect.stringMatching(/^Action en retard : Documents manquants .* dépassée\)$/),
      },
    ]);
    expect(after.activity).toContainEqual(
      expect.objectContaining({ kind: 'ALERT', label: 'Alerte : délai dépassé', detail: overdue[0]!.reason }),
    );
    // once per action
    expect(await h.service.parts.service.alertOverdueActions()).not.toContain(info.id);
  });
});
