// The five services as `npm start` runs them in one process: name, port, environment
// schema and how to start each (a service's own main.ts does the same for one process).
import type { Transport } from '@crm/events';
import { startService, type RunningService, type SubgraphServiceEnv } from '@crm/subgraph';
import { envSchema as claimsEnv } from '../../services/claims/src/env';
import { definitionFromEnv as claimsFromEnv } from '../../services/claims/src/service';
import { envSchema as conversationEnv } from '../../services/conversation/src/env';
import { definition as conversation } from '../../services/conversation/src/service';
import { envSchema as escalationEnv } from '../../services/escalation/src/env';
import { definition as escalation } from '../../services/escalation/src/service';
import { envSchema as identityEnv } from '../../services/identity/src/env';
import { definition as identity } from '../../services/identity/src/service';
import { envSchema as reimbursementEnv } from '../../services/reimbursement/src/env';
import { definition as reimbursement } from '../../services/reimbursement/src/service';

export interface SystemService {
  name: string;
  port: number;
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
    port: 4001,
    envSchema: identityEnv,
    start: (env, t) => startService(identity, opts(env, t)),
  },
  {
    name: 'claims',
    port: 4002,
    envSchema: claimsEnv,
    start: (env, t) => startService(claimsFromEnv(claimsEnv.parse(env)), opts(env, t)),
  },
  {
    name: 'conversation',
    port: 4003,
    envSchema: conversationEnv,
    start: (env, t) => startService(conversation, opts(env, t)),
  },
  {
    name: 'reimbursement',
    port: 4004,
    envSchema: reimbursementEnv,
    start: (env, t) => startService(reimbursement, opts(env, t)),
  },
  {
    name: 'escalation',
    port: 4005,
    envSchema: escalationEnv,
    start: (env, t) => startService(escalation, opts(env, t)),
  },
];
