export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** attempts including the first; after the last failure the message is dead-lettered */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 5000, maxAttempts: 5 };

/**
 * Exponential backoff with full jitter (AWS architecture blog): spreading retries uniformly
 * over [0, cap] stops a crowd of consumers retrying in lock step. `random` is injectable.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(cap * random());
}

/** Runs `work` for each group, groups in parallel (at most `limit`), items of a group in order. */
export async function forEachGroupInOrder<T>(
  groups: Map<string, T[]>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...groups.values()];
  let failure: unknown;
  const worker = async () => {
    for (let items = queue.shift(); items && failure === undefined; items = queue.shift()) {
      for (const item of items) {
        if (failure !== undefined) return;
        try {
          await work(item);
        } catch (err) {
          failure ??= err;
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, worker));
  if (failure !== undefined)
    throw failure instanceof Error ? failure : new Error('a group failed', { cause: failure });
}
