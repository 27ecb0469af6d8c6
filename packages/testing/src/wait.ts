/**
 * Polls `check` until it returns a value other than undefined/false, or fails after
 * `timeoutMs` with `what` in the message, so a stuck test says what it was waiting for.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Polls a count until it reaches `target`; fails only when the count stops moving for
 * `stallMs` (or passes the target), so a bulk test waits as long as work is being done
 * and no longer: its outcome does not depend on how fast the machine is.
 */
export async function waitForCount(
  what: string,
  read: () => Promise<number>,
  target: number,
  { stallMs = 20_000, intervalMs = 250 }: { stallMs?: number; intervalMs?: number } = {},
): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const value = await read();
    if (value === target) return;
    if (value > target) throw new Error(`${what}: ${value}, more than the ${target} expected`);
    if (value !== last) {
      last = value;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      throw new Error(`${what}: stuck at ${value} of ${target} for ${stallMs} ms`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Rejects with a clear message when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
