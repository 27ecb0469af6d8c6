// What the advisor console offers on a claim file, over real HTTP and PostgreSQL: the status
// moves the lifecycle allows from where the claim stands, and recommended actions an advisor
// marks done or ignored.
import { perFile } from '@crm/testing';
import { ARCHIVE_CLAIM, CHANGE_CLAIM_STATUS, startClaims } from '../../test/harness';
import { graphql } from '../../test/generated';
import { CLAIM_TRANSITIONS } from './claim-lifecycle.rules';

const ALLOWED = graphql(`
  query AllowedTransitions($id: ID!) {
    claim(id: $id) {
      status
      allowedTransitions
      recommendedActions {
        id
        type
        status
        executedAt
      }
    }
  }
`);

const SET_ACTION = graphql(`
  mutation SetRecommendedActionStatus($input: SetRecommendedActionStatusInput!) {
    setRecommendedActionStatus(input: $input) {
      id
      status
      executedAt
    }
  }
`);

// claims stay NEW when opened (no automatic routing): these tests move them by hand from NEW
const h = perFile(() => startClaims('claims_actions', { settings: { autoRouting: false } }));

const read = async (id: string) => {
  const res = await h.gql(ALLOWED, { id });
  expect(res.errors).toBeUndefined();
  return res.data!.claim!;
};

describe('Claim.allowedTransitions', () => {
  it('offers exactly the lifecycle moves from the current status, and none once closed or archived', async () => {
    const claim = await h.open();
    expect((await read(claim.id)).allowedTransitions).toEqual([...CLAIM_TRANSITIONS.NEW]);

    await h.gql(CHANGE_CLAIM_STATUS, { input: { id: claim.id, status: 'IN_PROGRESS' } });
    const inProgress = await read(claim.id);
    expect(inProgress.status).toBe('IN_PROGRESS');
    expect(inProgress.allowedTransitions).toEqual([...CLAIM_TRANSITIONS.IN_PROGRESS]);
    // every move offered is accepted
    const next = inProgress.allowedTransitions[0]!;
    const moved = await h.gql(CHANGE_CLAIM_STATUS, { input: { id: claim.id, status: next } });
    expect(moved.errors).toBeUndefined();

    const closing = await h.open();
    await h.gql(CHANGE_CLAIM_STATUS, { input: { id: closing.id, status: 'IN_PROGRESS' } });
    await h.gql(CHANGE_CLAIM_STATUS, { input: { id: closing.id, status: 'CLOSED' } });
    expect((await read(closing.id)).allowedTransitions).toEqual([]);

    const archived = await h.open();
    await h.gql(ARCHIVE_CLAIM, { id: archived.id });
    expect((await read(archived.id)).allowedTransitions).toEqual([]);
  });
});

describe('setRecommendedActionStatus', () => {
  it('marks an action done with its execution date, idempotently; a done action no longer changes', async () => {
    const claim = await h.open({ injuries: true, photoUrls: [] });
    const actions = (await read(claim.id)).recommendedActions;
    expect(actions.length).toBeGreaterThanOrEqual(2);
    const [first, second] = actions as [(typeof actions)[0], (typeof actions)[0]];
    expect(first.status).toBe('PENDING');

    const before = Date.now();
    const done = await h.gql(SET_ACTION, { input: { actionId: first.id, status: 'DONE' } });
    expect(done.errors).toBeUndefined();
    expect(done.data!.setRecommendedActionStatus).toMatchObject({ id: first.id, status: 'DONE' });
    const executedAt = Date.parse(done.data!.setRecommendedActionStatus.executedAt!);
    expect(executedAt).toBeGreaterThanOrEqual(before - 1000);

    // a double click: the same answer, the date kept
    const again = await h.gql(SET_ACTION, { input: { actionId: first.id, status: 'DONE' } });
    expect(again.data!.setRecommendedActionStatus.executedAt).toBe(
      done.data!.setRecommendedActionStatus.executedAt,
    );

    const undo = await h.gql(SET_ACTION, { input: { actionId: first.id, status: 'IGNORED' } });
    expect(undo.errors?.[0]?.extensions).toMatchObject({
      code: 'CLAIM.ACTION_CLOSED',
      details: { id: first.id, status: 'DONE', to: 'IGNORED' },
    });

    const ignored = await h.gql(SET_ACTION, { input: { actionId: second.id, status: 'IGNORED' } });
    expect(ignored.data!.setRecommendedActionStatus).toMatchObject({ status: 'IGNORED', executedAt: null });

    // the claim file reads what was recorded, and nothing else moved
    const after = (await read(claim.id)).recommendedActions;
    expect(after.find((a) => a.id === first.id)).toMatchObject({ status: 'DONE' });
    expect(after.find((a) => a.id === second.id)).toMatchObject({ status: 'IGNORED' });
    expect(after.filter((a) => a.id !== first.id && a.id !== second.id).map((a) => a.status)).toEqual(
      actions.slice(2).map((a) => a.status),
    );
  });

  it('answers an unknown action, a move back to PENDING and an archived claim with their codes, writing nothing', async () => {
    const unknown = await h.gql(SET_ACTION, {
      input: { actionId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b', status: 'DONE' },
    });
    expect(unknown.errors?.[0]?.extensions.code).toBe('CLAIM.ACTION_NOT_FOUND');

    const claim = await h.open({ injuries: true, photoUrls: [] });
    const [action] = (await read(claim.id)).recommendedActions;
    const back = await h.gql(SET_ACTION, { input: { actionId: action!.id, status: 'PENDING' } });
    expect(back.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');

    await h.gql(ARCHIVE_CLAIM, { id: claim.id });
    const archived = await h.gql(SET_ACTION, { input: { actionId: action!.id, status: 'DONE' } });
    expect(archived.errors?.[0]?.extensions.code).toBe('CLAIM.ARCHIVED');
    const rows = await h.sql<{ statut: string; date_execution: Date | null }>(
      `select statut, date_execution from actions_recommandees where id = $1`,
      [action!.id],
    );
    expect(rows).toEqual([{ statut: 'en_attente', date_execution: null }]);
  });

  it("is staff only: a policyholder cannot mark his own claim's actions", async () => {
    const claim = await h.open({ injuries: true, photoUrls: [] });
    const [action] = (await read(claim.id)).recommendedActions;
    const res = await h.gql(
      SET_ACTION,
      { input: { actionId: action!.id, status: 'DONE' } },
      {
        sub: claim.client.id,
        roles: ['client'],
      },
    );
    expect(res.errors?.[0]?.extensions.code).toBe('AUTH.FORBIDDEN');
  });
});
