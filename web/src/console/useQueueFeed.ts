// A live queue: the subscription's snapshot (SNAPSHOT... then SNAPSHOT_COMPLETE), then each
// change applied in order. A new snapshot (the socket came back) replaces the list once complete;
// a change already applied (same eventId) is dropped.
import { useSubscription } from 'urql';
import type { ConsoleEntryFragment, QueueChangeKind } from '../generated/graphql';
import { MY_ASSIGNMENTS_FEED, QUEUE_FEED } from './operations';

export type Entry = ConsoleEntryFragment;

interface Change {
  kind: QueueChangeKind;
  eventId: string | null;
  entry: Entry | null;
}

export interface QueueFeed {
  entries: Map<string, Entry>;
  /** the snapshot being received (null once complete) */
  pending: Map<string, Entry> | null;
  ready: boolean;
  seen: string[];
  /** grows with every applied change: lets a view refresh what depends on the queue */
  version: number;
}

const EMPTY: QueueFeed = { entries: new Map(), pending: null, ready: false, seen: [], version: 0 };

export function applyChange(feed: QueueFeed, change: Change, mine?: string): QueueFeed {
  if (change.eventId && feed.seen.includes(change.eventId)) return feed;
  const seen = change.eventId ? [...feed.seen.slice(-199), change.eventId] : feed.seen;
  const entry = change.entry;
  switch (change.kind) {
    case 'SNAPSHOT': {
      const pending = new Map<string, Entry>(feed.pending ?? []);
      if (entry) pending.set(entry.id, entry);
      return { ...feed, pending, seen };
    }
    case 'SNAPSHOT_COMPLETE':
      return {
        ...feed,
        entries: feed.pending ?? new Map<string, Entry>(),
        pending: null,
        ready: true,
        seen,
        version: feed.version + 1,
      };
    case 'QUEUED':
    case 'ASSIGNED':
    case 'STARTED':
    case 'RESOLVED': {
      if (!entry) return feed;
      const entries = new Map(feed.entries);
      const gone =
        change.kind === 'RESOLVED' ||
        entry.status === 'RESOLVED' ||
        (mine != null && entry.advisor?.id !== mine);
      if (gone) entries.delete(entry.id);
      else entries.set(entry.id, entry);
      return { ...feed, entries, seen, version: feed.version + 1 };
    }
  }
}

/** Priority first, then the longest wait (the queue's own order). */
export function queueOrder(entries: Iterable<Entry>): Entry[] {
  return [...entries].sort(
    (a, b) => b.priority - a.priority || new Date(a.queuedAt).getTime() - new Date(b.queuedAt).getTime(),
  );
}

export function useQueueFeed() {
  const [result] = useSubscription({ query: QUEUE_FEED }, (prev: QueueFeed = EMPTY, data) =>
    applyChange(prev, data.escalationQueue),
  );
  return { feed: result.data ?? EMPTY, error: result.error };
}

export function useMyAssignmentsFeed(advisorId: string, pause: boolean) {
  const [result] = useSubscription({ query: MY_ASSIGNMENTS_FEED, pause }, (prev: QueueFeed = EMPTY, data) =>
    applyChange(prev, data.myAssignments, advisorId),
  );
  return { feed: result.data ?? EMPTY, error: result.error };
}
