// The only file of the claims service that reads process.env (STYLE.md, rule 6).
import { loadEnvOrExit, z } from '@crm/config';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4002).extend({
  /** CCI below this is handled autonomously (seed: 40); checked by @crm/cci parseThresholds */
  CCI_AUTONOMOUS_BELOW: z.coerce.number().int().min(0).max(100).optional(),
  /** CCI above this escalates to an advisor (seed: 60) */
  CCI_ESCALATE_ABOVE: z.coerce.number().int().min(0).max(100).optional(),
});
export type Env = z.infer<typeof envSchema>;

export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, source);
