// A client's erasure as the supervisor follows it (Client.erasure): identity's part is done by
// the erasure itself; each other service's part once its proof (ConversationsErased,
// ClaimsErased, EscalationEntriesErased) reached the consumer identity.erasures. Real
// PostgreSQL, in-process transport.
import { newEvent } from '@crm/events';
import { ERASURE_PROOFS } from '@crm/subgraph';
import { perFile, waitFor } from '@crm/testing';
import {
  ADVISOR,
  ERASE_CLIENT,
  nextMatricule,
  REGISTER_CLIENT,
  startIdentity,
  SUPERVISOR,
} from '../../test/harness';
import { ERASURES_CONSUMER } from './erasure.consumer';

const h = perFile(() => startIdentity('erasure_progress'));

const PROGRESS = `query Progress($id: ID!) {
  client(id: $id) { erasure { erasedAt complete services { service done erasedAt items } } }
}`;
interface Progress {
  client: {
    erasure: {
      erasedAt: string;
      complete: boolean;
      services: { service: string; done: boolean; erasedAt: string | null; items: number | null }[];
    } | null;
  };
}

const proof = (
  service: keyof typeof ERASURE_PROOFS,
  clientId: string,
  erasureEventId: string,
  items: number,
) =>
  newEvent(
    ERASURE_PROOFS[service],
    { clientId, erasureEventId, erasedAt: new Date().toISOString(), items },
    { source: service, subject: clientId, actor: { kind: 'system', id: `${service}.erasure` } },
  );

describe("a client's erasure progress (Client.erasure)", () => {
  it('shows each service done as its proof arrives, complete once all did; null before, supervisors only', async () => {
    const registered = await h.gql(REGISTER_CLIENT, {
      input: { matricule: nextMatricule(), lastName: 'Effacé', firstName: 'Bientôt' },
    });
    const id = registered.data!.registerClient.id;
    const before = await h.gql<Progress>(PROGRESS, { id }, SUPERVISOR);
    expect(before.data!.client.erasure).toBeNull();

    expect((await h.gql(ERASE_CLIENT, { id }, SUPERVISOR)).errors).toBeUndefined();
    const [erasure] = await h.outbox('ClientErased');
    expect(erasure).toBeDefined();

    const progress = async () => (await h.gql<Progress>(PROGRESS, { id }, SUPERVISOR)).data!.client.erasure!;
    const started = await progress();
    expect(started.complete).toBe(false);
    expect(started.services.map((s) => [s.service, s.done])).toEqual([
      ['identity', true],
      ['conversation', false],
      ['claims', false],
      ['escalation', false],
      ['reimbursement', false],
    ]);

    const first = [proof('claims', id, erasure!.id, 2), proof('conversation', id, erasure!.id, 9)];
    await h.send(...first);
    await h.processed(ERASURES_CONSUMER, ...first.map((e) => e.id));
    const halfway = await progress();
    expect(halfway.complete).toBe(false);
    expect(halfway.services.map((s) => [s.service, s.done, s.items])).toEqual([
      ['identity', true, 1],
      ['conversation', true, 9],
      ['claims', true, 2],
      ['escalation', false, null],
      ['reimbursement', false, null],
    ]);

    const last = proof('escalation', id, erasure!.id, 0);
    const reimbursements = proof('reimbursement', id, erasure!.id, 1);
    // a redelivery changes nothing
    await h.send(last, last, reimbursements);
    await h.processed(ERASURES_CONSUMER, last.id, reimbursements.id);
    const done = await progress();
    expect(done.complete).toBe(true);
    expect(done.services.find((s) => s.service === 'escalation')).toMatchObject({ done: true, items: 0 });

    const refused = await h.gql(PROGRESS, { id }, ADVISOR);
    expect(refused.errors?.[0]?.extensions.code).toBe('AUTH.FORBIDDEN');
    // a proof naming no UUID is dead-lettered, not retried
    const bad = proof('claims', 'not-a-uuid', erasure!.id, 1);
    await h.send(bad);
    await waitFor('the bad proof dead-lettered', () =>
      h.transport.records('crm.claims.events.v1.dlq').some((r) => r.value?.includes(bad.id) ?? false),
    );
  });
});
