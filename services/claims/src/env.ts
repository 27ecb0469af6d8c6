// The only file of the claims service that reads process.env (STYLE.md, rule 6).
import { loadEnvOrExit, z } from '@crm/config';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4002).extend({
  /** CCI below this is handled autonomously (seed: 40); checked by @crm/cci parseThresholds */
  CCI_AUTONOMOUS_BELOW: z.coerce.number().int().min(0).max(100).optional(),
  /** CCI above this escalates to an advisor (seed: 60) */
  CCI_ESCALATE_ABOVE: z.coerce.number().int().min(0).max(100).optional(),
  /** seed « Délai > 5 jours → Escalade »: days without progress after which a claim escalates */
  CLAIM_STALL_DAYS: z.coerce.number().int().min(1).max(365).default(5),
  /** how often the stall timer looks for stalled claims (ms); the state is in the database */
  CLAIM_STALL_CHECK_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
});
export type Env = z.infer<typeof envSchema>;

export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, source);
