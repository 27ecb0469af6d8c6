// The live feed against a real PostgreSQL (in-process transport): snapshot, then changes,
// without the change the snapshot already holds, and a subscriber that leaves is forgotten.
import { type AnyEvent } from '@crm/events';
import { perFile, waitFor } from '@crm/testing';
import { startHarness } from '../../test/harness';
import { type QueueChange } from './live.rules';

const h = perFile(() => startHarness('escalation_live'));

async function collect(it: AsyncIterableIterator<QueueChange>, into: QueueChange[]): Promise<void> {
  for await (const change of it) into.push(change);
}

describe('QueueFeed', () => {
  it('sends the snapshot, then changes, and drops a change the snapshot already holds', async () => {
    const { feed } = h.service.parts;
    const relay = h.service.runtime.events.relay;
    // committed but not yet relayed: its event reaches the feed only after the snapshot
    await relay.stop();
    const before = await h.escalate({ reasons: ['COMPLAINT'] });
    const changes: QueueChange[] = [];
    const it = feed.subscribe();
    const done = collect(it, changes);
    await waitFor('the snapshot', () => changes.some((c) => c.kind === 'SNAPSHOT_COMPLETE'));
    expect(changes.filter((c) => c.kind === 'SNAPSHOT').map((c) => c.entry?.id)).toContain(before.id);

    await relay.start();
    const after = await h.escalate({ reasons: ['COMPLAINT'] });
    await waitFor('the new entry', () =>
      changes.some((c) => c.kind === 'QUEUED' && c.entry?.id === after.id),
    );
    // the relay published `before` first (same relay, older row): had it not been dropped, it would be here
    await new Promise((r) => setTimeout(r, 300));
    const live = changes.filter((c) => !c.kind.startsWith('SNAPSHOT'));
    expect(live.map((c) => [c.kind, c.entry?.id])).toEqual([['QUEUED', after.id]]);
    expect(live[0]?.eventId).toMatch(/\S+/);

    // a redelivery of a change already fanned out is dropped; the feed keeps no idempotency rows
    const [queued] = (await h.outbox(after.id)).filter((e) => e.event_type === 'EscalationQueued');
    await h.send(queued!.payload as unknown as AnyEvent);
    const again = await h.escalate({ reasons: ['COMPLAINT'] });
    await waitFor('the next entry', () =>
      changes.some((c) => c.kind === 'QUEUED' && c.entry?.id === again.id),
    );
    expect(changes.filter((c) => c.kind === 'QUEUED').map((c) => c.entry?.id)).toEqual([after.id, again.id]);
    expect(
      await h.query(`select count(*)::int as n from event_processed where consumer = $1`, [feed.consumer]),
    ).toEqual([{ n: 0 }]);

    const subscribed = feed.subscriberCount;
    await it.return?.();
    await done;
    expect(feed.subscriberCount).toBe(subscribed - 1);
  });
});
