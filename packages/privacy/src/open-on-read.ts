// Sealed words opened when something reads them, not when the rows are loaded: a listing that
// shows no words (a claims list: numbers, statuses, scores) decrypts none. The keys are still
// read with the rows, in one query (FieldReader), so the deferred part touches no database and
// cannot fail on a connection: only the decryption waits.

/**
 * `target[key]` computed by `open` on its first read, then a plain property holding the value;
 * a write before any read replaces it without decrypting. Spreading, comparing or serializing
 * the object reads it like any property.
 */
export function openOnRead<T extends object, K extends keyof T>(target: T, key: K, open: () => T[K]): void {
  const settle = (value: T[K]): void => {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get(): T[K] {
      const value = open();
      settle(value);
      return value;
    },
    set: settle,
  });
}
