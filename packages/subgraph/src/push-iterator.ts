// The async iterator a Subscription resolver returns: values pushed by a live source, in the
// order pushed, buffered while the consumer (graphql-ws sending on a socket) catches up.
// A consumer that falls `maxBuffered` values behind is ended with an error rather than let
// the process's memory grow without bound.
export class PushIterator<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: ((r: IteratorResult<T>) => void)[] = [];
  private readonly failures: ((e: unknown) => void)[] = [];
  private done = false;
  private error: unknown;

  constructor(
    private readonly onClose: () => void = () => undefined,
    private readonly maxBuffered = 10_000,
  ) {}

  push(value: T): void {
    if (this.done) return;
    const next = this.waiting.shift();
    this.failures.shift();
    if (next) return next({ value, done: false });
    if (this.buffer.length >= this.maxBuffered) {
      this.fail(new Error(`subscriber too slow: more than ${this.maxBuffered} changes pending`));
      return;
    }
    this.buffer.push(value);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.error = error;
    this.finish();
    for (const reject of this.failures.splice(0)) reject(error);
    this.waiting.length = 0;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.error !== undefined) {
      const error = this.error;
      this.error = undefined;
      return Promise.reject(error instanceof Error ? error : new Error('subscription source failed'));
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.failures.push(reject);
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.finish();
    for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
    this.failures.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
  }
}
