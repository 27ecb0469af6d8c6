// The only file of the reimbursement service that reads process.env (docs/architecture.md, Configuration).
import { loadEnvOrExit, type z } from '@crm/config';
import { checkPrivacyEnv, privacyVariables } from '@crm/privacy';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4004)
  // the master key of what the reimbursements say in words (docs/privacy.md)
  .extend(privacyVariables());
export type Env = z.infer<typeof envSchema>;

/**
 * At boot: the variables, then the master key (production without a usable one stops too),
 * both with exit 78.
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const env = loadEnvOrExit(envSchema, source);
  loadEnvOrExit(envSchema.superRefine(checkPrivacyEnv), source);
  return env;
}
