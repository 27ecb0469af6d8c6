// The only file of the escalation service that reads process.env (docs/architecture.md, Configuration).
import { type z } from '@crm/config';
import { loadEnvWithMasterKey, privacyVariables } from '@crm/privacy';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4005)
  // the master key of what the queue holds about people (docs/privacy.md)
  .extend(privacyVariables());
export type Env = z.infer<typeof envSchema>;

/** At boot: the variables, then the master key (exit 78 on either, the variable named). */
export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env =>
  loadEnvWithMasterKey(envSchema, source);
