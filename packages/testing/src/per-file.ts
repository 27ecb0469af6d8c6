/**
 * One started thing (a service harness, a process, a broker) for the whole test file: started
 * before the file's first test, stopped after its last, and used through the returned handle as
 * if it were the thing itself. It replaces the four lines each file wrote again
 * (`let h; beforeAll(start); afterAll(stop)`).
 *
 *   const h = perFile(() => startIdentity('clients'));
 *
 * Call it at the top of a file or of a describe block (its hooks are that block's). Touching the
 * handle before the start finished (at module level, in a describe body) throws and names the
 * mistake instead of reading undefined.
 */
export function perFile<T extends { stop(): unknown }>(start: () => Promise<T>): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    const stopping = started;
    started = undefined;
    await stopping?.stop();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (started === undefined) {
        throw new Error(
          `perFile: "${String(key)}" read outside the file's tests (before its start or after its stop)`,
        );
      }
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? (value.bind(started) as unknown) : value;
    },
  });
}
