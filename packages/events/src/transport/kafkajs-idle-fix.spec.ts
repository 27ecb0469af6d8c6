import { fixKafkajsIdleLoop, kafkajsRequestQueue, type RequestQueueInternals } from './kafkajs-idle-fix';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const newQueue = (): RequestQueueInternals & {
  fulfillRequest(r: { correlationId: number; payload: null; size: number }): void;
  destroy(): void;
} => {
  const RequestQueue = kafkajsRequestQueue();
  return new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'unit',
    broker: '127.0.0.1:9092',
    logger: quiet,
  }) as never;
};

describe('the kafkajs idle loop fix', () => {
  // taken before the fix: what kafkajs 2.2.4 does on its own
  const original = kafkajsRequestQueue().prototype.scheduleCheckPendingRequests;

  it('is needed: kafkajs arms a timer on an idle connection after each response', () => {
    const queue = newQueue();
    original.call(queue);
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    queue.destroy();
  });

  it('applies to the installed kafkajs, once per process', () => {
    expect(['patched', 'already']).toContain(fixKafkajsIdleLoop());
    expect(fixKafkajsIdleLoop()).toBe('already');
  });

  it('arms no timer when nothing waits, after a response as after a push', () => {
    fixKafkajsIdleLoop();
    const queue = newQueue();
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('still checks a waiting request: after the throttle, or 10 ms', () => {
    fixKafkajsIdleLoop();
    jest.useFakeTimers();
    try {
      const queue = newQueue();
      const checks: number[] = [];
      queue.checkPendingRequests = () => checks.push(Date.now());
      queue.pending.push({});
      queue.throttledUntil = Date.now() + 500;
      const t0 = Date.now();
      queue.scheduleCheckPendingRequests();
      jest.advanceTimersByTime(499);
      expect(checks).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(checks).toEqual([t0 + 500]);

      queue.throttledUntil = -1;
      queue.scheduleCheckPendingRequests();
      jest.advanceTimersByTime(10);
      expect(checks).toHaveLength(2);
      queue.destroy();
    } finally {
      jest.useRealTimers();
    }
  });
});
