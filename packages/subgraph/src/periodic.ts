// A service's periodic work (the claims stall timer, the escalation sweep): a tick now, then one
// per interval; a tick still running is not doubled (the next interval picks up what it left);
// stop() waits for the running tick, so the database can close after it. One per instance: it
// lives in the service's parts, never at module level, so stopping one instance stops only its own.
import type { Logger } from '@crm/logging';

export class PeriodicTask {
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private ticks = 0;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Ticks started so far (health and tests). */
  get count(): number {
    return this.ticks;
  }

  start(): void {
    if (this.interval || this.stopped) return;
    this.run();
    this.interval = setInterval(() => this.run(), this.intervalMs);
    this.interval.unref();
  }

  private run(): void {
    if (this.running || this.stopped) return;
    this.ticks += 1;
    this.running = this.tick()
      .catch((err: unknown) => this.logger.error({ err, task: this.name }, `${this.name}: tick failed`))
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    await this.running;
  }
}
