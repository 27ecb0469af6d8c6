// Which live change goes to which subscriber (pure; live.rules.spec.ts).
import { type EscalationView } from '../escalation/escalation.mapping';

export type QueueChangeKind =
  'SNAPSHOT' | 'SNAPSHOT_COMPLETE' | 'QUEUED' | 'ASSIGNED' | 'STARTED' | 'RESOLVED';

const KIND_OF_EVENT: Record<string, QueueChangeKind> = {
  EscalationQueued: 'QUEUED',
  AdvisorAssigned: 'ASSIGNED',
  EscalationStarted: 'STARTED',
  EscalationResolved: 'RESOLVED',
};
export const LIVE_EVENT_TYPES = [
  'EscalationQueued',
  'AdvisorAssigned',
  'EscalationStarted',
  'EscalationResolved',
] as const;

export const changeKindOf = (eventType: string): QueueChangeKind | undefined => KIND_OF_EVENT[eventType];

/** One change as the subgraph's Subscription fields yield it (type QueueChange). */
export interface QueueChange {
  kind: QueueChangeKind;
  /** the entry as read when the change was fanned out; null for SNAPSHOT_COMPLETE */
  entry: EscalationView | null;
  at: Date;
  /** the event's id; null for the snapshot */
  eventId: string | null;
  /** advisors the change concerns: the holder, and the previous one on a reassignment */
  advisorIds: string[];
}

/** The advisors an escalation event names (advisorId, previousAdvisorId). */
export function advisorsNamed(data: unknown): string[] {
  if (!data || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  return [d['advisorId'], d['previousAdvisorId']].filter((v): v is string => typeof v === 'string');
}

/** myAssignments: the advisor's entries, and the change that took one away from him. */
export function concernsAdvisor(change: QueueChange, advisorId: string): boolean {
  return change.entry?.advisorId === advisorId || change.advisorIds.includes(advisorId);
}

/**
 * A change committed before the subscriber's snapshot was read is already in the snapshot:
 * it is dropped. `visibleAtSnapshot` holds the ids of the events the snapshot's transaction
 * could see in the outbox.
 */
export function isNewerThanSnapshot(change: QueueChange, visibleAtSnapshot: ReadonlySet<string>): boolean {
  return change.eventId === null || !visibleAtSnapshot.has(change.eventId);
}

/**
 * A fresh consumer group reads its topic from the beginning: events from before the feed
 * started are history, not changes, and nobody subscribed then. The margin covers a
 * transaction that commits (and is relayed) a while after its clock was read.
 */
export function isLive(occurredAt: Date, feedStartedAt: Date, marginMs = 60_000): boolean {
  return occurredAt.getTime() >= feedStartedAt.getTime() - marginMs;
}
