// The only file of the gateway that reads process.env (STYLE.md, rule 6).
import { env, loadEnvOrExit, z } from '@crm/config';

export const envSchema = z.object({
  NODE_ENV: env.nodeEnv(),
  PORT: env.port(4000),
  LOG_LEVEL: env.logLevel(),
});
export type Env = ReturnType<typeof envSchema.parse>;

export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, source);
