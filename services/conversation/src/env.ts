// The only file of the conversation service that reads process.env (docs/architecture.md, Configuration).
import { loadEnvOrExit, z } from '@crm/config';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4003).extend({
  /**
   * failed authentications with the bot from one address in one UTC day (a wrong code, a denied
   * identity, a matricule nobody holds); past it the bot stops trying for that address
   */
  BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).default(20),
});
export type Env = z.infer<typeof envSchema>;

export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, source);
