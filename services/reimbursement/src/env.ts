// The only file of the reimbursement service that reads process.env (STYLE.md, rule 6).
import { loadEnvOrExit, serviceEnvSchema } from '@crm/config';

export const envSchema = serviceEnvSchema(4004);
export type Env = ReturnType<typeof envSchema.parse>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, env);
