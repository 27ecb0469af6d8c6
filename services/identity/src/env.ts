// The only file of the identity service that reads process.env (docs/architecture.md, Configuration).
import { loadEnvOrExit, type z } from '@crm/config';
import { checkPrivacyEnv, privacyVariables } from '@crm/privacy';
import { subgraphServiceEnv } from '@crm/subgraph';

/** the subgraph's variables and the master key of the clients' personal data (docs/privacy.md) */
export const envSchema = subgraphServiceEnv(4001).extend(privacyVariables());
export type Env = z.infer<typeof envSchema>;

/**
 * At boot: the variables (a committed development secret in production stops here first),
 * then the master key (production without a usable one stops too), both with exit 78.
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const env = loadEnvOrExit(envSchema, source);
  loadEnvOrExit(envSchema.superRefine(checkPrivacyEnv), source);
  return env;
}
