// The only file of the identity service that reads process.env (docs/architecture.md, Configuration).
import { type z } from '@crm/config';
import { loadEnvWithMasterKey, privacyVariables } from '@crm/privacy';
import { subgraphServiceEnv } from '@crm/subgraph';

/** the subgraph's variables and the master key of the clients' personal data (docs/privacy.md) */
export const envSchema = subgraphServiceEnv(4001).extend(privacyVariables());
export type Env = z.infer<typeof envSchema>;

/** At boot: the variables, then the master key (exit 78 on either, the variable named). */
export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env =>
  loadEnvWithMasterKey(envSchema, source);
