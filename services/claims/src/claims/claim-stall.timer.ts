// The poller of the stall timer (« Délai > 5 jours »). It holds no state: each tick asks the
// database which claims are stalled (ClaimService.escalateStalled), so a restart or a second
// instance changes nothing about what fires, or how often.
import { PeriodicTask, type ServiceRuntime } from '@crm/subgraph';
import type { ClaimService } from './claim.service';

export function stallTimer(
  service: ClaimService,
  logger: ServiceRuntime['logger'],
  intervalMs: number,
): PeriodicTask {
  return new PeriodicTask(
    'stall timer',
    intervalMs,
    async () => {
      const check = await service.escalateStalled();
      if (check.fired.length || check.failed.length)
        logger.info(
          { fired: check.fired.length, escalated: check.escalated.length, failed: check.failed },
          'stall timer: claims without progress escalated',
        );
      // the same tick raises the overdue alert of recommended actions past their due date
      const alerted = await service.alertOverdueActions();
      if (alerted.length) logger.info({ alerted: alerted.length }, 'stall timer: overdue actions alerted');
    },
    logger,
  );
}
