// A graphql-ws subscription as a test watches it: every value of its root field in arrival
// order, every error, and the socket itself, so a test can cut the network (no close frame)
// as a lost connection would.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export class SubscriptionRecorder<T> {
  /** the root field's values, in arrival order */
  readonly items: T[] = [];
  readonly errors: unknown[] = [];
  /** set by drop() and close(): errors after it are the test's doing, not recorded */
  dropped = false;
  private readonly sockets: WebSocket[] = [];
  private readonly client: Client;
  private readonly unsubscribe: () => void;

  constructor(url: string, token: string, request: { query: string; variables?: Record<string, unknown> }) {
    const sockets = this.sockets;
    this.client = createClient({
      url,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols);
          sockets.push(this);
        }
      },
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: (e) => this.fail(e),
    });
    this.unsubscribe = this.client.subscribe<Record<string, T>>(request, {
      next: (r) => {
        if (r.errors) this.fail(r.errors);
        // one root field per subscription operation
        const [value] = Object.values(r.data ?? {});
        if (value !== undefined && value !== null) this.items.push(value);
      },
      error: (e) => this.fail(e),
      complete: () => undefined,
    });
  }

  private fail(e: unknown): void {
    if (!this.dropped) this.errors.push(e);
  }

  /** The network goes: the TCP connection is destroyed, no close frame is sent. */
  drop(): void {
    this.dropped = true;
    for (const s of this.sockets) s.terminate();
  }

  async close(): Promise<void> {
    this.dropped = true;
    this.unsubscribe();
    await this.client.dispose();
  }
}
