// The only file of the escalation service that reads process.env (docs/architecture.md, Configuration).
import { loadEnvOrExit, type z } from '@crm/config';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4005);
export type Env = z.infer<typeof envSchema>;

export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, source);
