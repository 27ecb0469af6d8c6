// The five services as `npm start` runs them in one process: name, port, environment
// schema and how to start each (a service's own main.ts does the same for one process).
import type { Transport } from '@crm/events';
import { startService, type RunningService, type SubgraphServiceEnv } from '@crm/subgraph';
import { envSchema as claimsEnv, type Env as ClaimsEnv } from '../../services/claims/src/env';
import { definitionFromEnv as claimsFromEnv } from '../../services/claims/src/service';
import {
  envSchema as conversationEnv,
  type Env as ConversationEnv,
} from '../../services/conversation/src/env';
import { definitionFromEnv as conversationFromEnv } from '../../services/conversation/src/service';
import { envSchema as escalationEnv } from '../../services/escalation/src/env';
import { definition as escalation } from '../../services/escalation/src/service';
import { envSchema as identityEnv } from '../../services/identity/src/env';
import { definition as identity } from '../../services/identity/src/service';
import { envSchema as reimbursementEnv } from '../../services/reimbursement/src/env';
import { definition as reimbursement } from '../../services/reimbursement/src/service';

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
    start: (env, t) => startService(identity, opts(env, t)),
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
    start: (env, t) => startService(reimbursement, opts(env, t)),
  },
  {
    name: 'escalation',
    envSchema: escalationEnv,
    start: (env, t) => startService(escalation, opts(env, t)),
  },
];
