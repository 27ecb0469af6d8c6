// The five services as `npm start` runs them in one process: name, port, environment
// schema and how to start each (a service's own main.ts does the same for one process).
import type { Transport } from '@crm/events';
import { startService, type RunningService, type SubgraphServiceEnv } from '@crm/subgraph';
import { envSchema as claimsEnv, type Env as ClaimsEnv } from '@crm/claims-service/env';
import { definitionFromEnv as claimsFromEnv } from '@crm/claims-service/service';
import { envSchema as conversationEnv, type Env as ConversationEnv } from '@crm/conversation-service/env';
import { definitionFromEnv as conversationFromEnv } from '@crm/conversation-service/service';
import { envSchema as escalationEnv } from '@crm/escalation-service/env';
import { definition as escalation } from '@crm/escalation-service/service';
import { envSchema as identityEnv, type Env as IdentityEnv } from '@crm/identity-service/env';
import { definitionFromEnv as identityFromEnv } from '@crm/identity-service/service';
import { envSchema as reimbursementEnv, type Env as ReimbursementEnv } from '@crm/reimbursement-service/env';
import { definitionFromEnv as reimbursementFromEnv } from '@crm/reimbursement-service/service';

export interface SystemService {
  name: string;
  envSchema: { parse(input: unknown): SubgraphServiceEnv };
  start(env: SubgraphServiceEnv, transport: Transport | undefined): Promise<RunningService>;
}

const opts = (env: SubgraphServiceEnv, transport: Transport | undefined) => ({
  env,
  ...(transport ? { transport } : {}),
});

export const SYSTEM: SystemService[] = [
  {
    name: 'identity',
    envSchema: identityEnv,
    // env was parsed with identity's own schema: it carries the personal data's master key
    start: (env, t) => startService(identityFromEnv(env as IdentityEnv), opts(env, t)),
  },
  {
    name: 'claims',
    envSchema: claimsEnv,
    // env was parsed with claims' own schema by the caller: it carries the CCI thresholds
    start: (env, t) => startService(claimsFromEnv(env as ClaimsEnv), opts(env, t)),
  },
  {
    name: 'conversation',
    envSchema: conversationEnv,
    // env was parsed with conversation's own schema: it carries the bot's brute-force ceiling
    start: (env, t) => startService(conversationFromEnv(env as ConversationEnv), opts(env, t)),
  },
  {
    name: 'reimbursement',
    envSchema: reimbursementEnv,
    // env was parsed with reimbursement's own schema: it carries the master key of its words
    start: (env, t) => startService(reimbursementFromEnv(env as ReimbursementEnv), opts(env, t)),
  },
  {
    name: 'escalation',
    envSchema: escalationEnv,
    start: (env, t) => startService(escalation, opts(env, t)),
  },
];
