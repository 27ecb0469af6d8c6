// Starts the real conversation service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token.
import { type Principal } from '@crm/auth';
import { startServiceForTest, type GqlResult, type ServiceHarness } from '@crm/testing';
import type { ConversationParts } from '../src/context';
import { envSchema } from '../src/env';
import { definition } from '../src/service';

export const ADVISOR: Principal = { sub: 'adv-42', roles: ['advisor'] };
export type GraphQLResult<T = Record<string, unknown>> = GqlResult<T>;
export type Harness = ServiceHarness<ConversationParts>;

export const startHarness = (
  label: string,
  options: { relay?: boolean; onQuery?: (sql: string) => void } = {},
): Promise<Harness> => startServiceForTest(definition, { envSchema, principal: ADVISOR, label, ...options });
