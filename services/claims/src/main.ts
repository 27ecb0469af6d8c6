import { parseThresholds } from '@crm/cci';
import { createLogger } from '@crm/logging';
import { startService, stopOnSignals } from '@crm/subgraph';
import { loadEnv } from './env';
import { claimsService } from './service';

async function main(): Promise<void> {
  const env = loadEnv();
  const thresholds = parseThresholds({
    autonomousBelow: env.CCI_AUTONOMOUS_BELOW,
    escalateAbove: env.CCI_ESCALATE_ABOVE,
  });
  const service = await startService(claimsService({ thresholds }), { env });
  stopOnSignals(service, service.runtime.logger);
}

main().catch((err: unknown) => {
  createLogger({ service: 'claims' }).fatal({ err }, 'claims service failed to start');
  process.exit(1);
});
