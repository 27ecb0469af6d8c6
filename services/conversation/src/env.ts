// The only file of the conversation service that reads process.env (docs/architecture.md, Configuration).
import { loadEnvOrExit, z } from '@crm/config';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4003).extend({
  /**
   * failed authentications with the bot from one address in one UTC day (a wrong code, a denied
   * identity, a matricule nobody holds); past it the bot stops trying for that address
   */
  BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).default(20),
  /** a client waiting this long for an advisor is offered a call-back (he may keep waiting) */
  HANDOFF_CALL_BACK_AFTER_SECONDS: z.coerce.number().int().min(10).default(300),
  /** the call-back deadline the client is given */
  HANDOFF_CALL_BACK_WITHIN_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(48 * 60)
    .default(120),
});
export type Env = z.infer<typeof envSchema>;

export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, source);
