// kafkajs 2.2.4 spins a 1 ms timer on every broker connection, forever, once the first response
// has arrived (tulios/kafkajs#1556; the fix proposed upstream, #1667, was never released and the
// project publishes no more versions). RequestQueue.scheduleCheckPendingRequests arms its timer
// even when nothing is pending and nothing is throttled, with a negative delay (throttledUntil is
// -1), and the timer's callback calls it again. Measured on this machine: an idle consumer costs
// ~30 ms of CPU per second whatever its fetch wait, and a system of five services holds dozens
// of such connections: a large share of two cores burned on nothing (docs/events.md, kafkajs).
//
// The replacement arms the timer only when a request waits, as the original does then: after
// the throttle, or 10 ms. Nothing else waits on that timer: push() schedules a check for the
// request it queues, and every response checks the queue (fulfillRequest).
import { createRequire } from 'node:module';

/** The members of kafkajs's RequestQueue this fix reads and writes. */
export interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

interface RequestQueueClass {
  new (options: Record<string, unknown>): RequestQueueInternals;
  prototype: RequestQueueInternals & { [PATCHED]?: true };
}

/** the version whose RequestQueue this replaces a method of: another one is left as it is */
export const KAFKAJS_VERSION_FIXED = '2.2.4';
const CHECK_PENDING_REQUESTS_INTERVAL = 10;
const PATCHED = Symbol.for('crm.kafkajs.idle-fix');

const fromKafkajs = createRequire(require.resolve('kafkajs'));

/** kafkajs's RequestQueue class (not part of its public API: used by this fix and its test). */
export const kafkajsRequestQueue = (): RequestQueueClass =>
  fromKafkajs('./src/network/requestQueue') as RequestQueueClass;

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const throttled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttled > 0 ? throttled : CHECK_PENDING_REQUESTS_INTERVAL,
  );
}

/**
 * Replaces the method once per process (every kafkajs client of the process shares the class).
 * 'patched' or 'already' when in force; 'other-version' when kafkajs is not the version this was
 * written against (check whether it still needs it, then change KAFKAJS_VERSION_FIXED).
 */
export function fixKafkajsIdleLoop(): 'patched' | 'already' | 'other-version' {
  const { version } = fromKafkajs('./package.json') as { version: string };
  if (version !== KAFKAJS_VERSION_FIXED) return 'other-version';
  const { prototype } = kafkajsRequestQueue();
  if (prototype[PATCHED]) return 'already';
  prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  prototype[PATCHED] = true;
  return 'patched';
}
