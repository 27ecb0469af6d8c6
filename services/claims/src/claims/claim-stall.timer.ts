// The poller of the stall timer (« Délai > 5 jours »). It holds no state: each tick asks the
// database which claims are stalled (ClaimService.escalateStalled), so a restart or a second
// instance changes nothing about what fires, or how often.
import type { ServiceRuntime } from '@crm/subgraph';
import type { ClaimService, StallCheck } from './claim.service';

export class StallTimer {
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly service: ClaimService,
    private readonly logger: ServiceRuntime['logger'],
    private readonly intervalMs: number,
  ) {}

  /** A tick now (what accumulated while the service was down), then one per interval. */
  start(): void {
    this.tick();
    this.interval = setInterval(() => this.tick(), this.intervalMs);
    this.interval.unref();
  }

  /** A tick still running is not doubled: the next interval picks up what it left. */
  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.service
      .escalateStalled()
      .then(
        (check: StallCheck) => {
          if (check.fired.length || check.failed.length)
            this.logger.info(
              { fired: check.fired.length, escalated: check.escalated.length, failed: check.failed },
              'stall timer: claims without progress escalated',
            );
        },
        (err: unknown) => this.logger.error({ err }, 'stall timer: check failed'),
      )
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Waits for a running tick: the database closes after this. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    await this.running;
  }
}
