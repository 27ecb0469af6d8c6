// Starts the real conversation service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token. The documents are
// typed from the SDL (test/generated, npm run codegen): results need no hand-written types.
import { type Principal } from '@crm/auth';
import { startServiceForTest, type GqlResult, type ServiceHarness } from '@crm/testing';
import type { ServiceDefinition } from '@crm/subgraph';
import type { ConversationContext, ConversationParts } from '../src/context';
import { envSchema } from '../src/env';
import { definition } from '../src/service';
import { graphql } from './generated';

export const ADVISOR: Principal = { sub: 'adv-42', roles: ['advisor'] };
export type GraphQLResult<T = Record<string, unknown>> = GqlResult<T>;
export type Harness = ServiceHarness<ConversationParts>;

/** The service with its parts reading `clock` (the bot's turns, its failure counts and locks). */
const withClock = (clock: () => Date): ServiceDefinition<ConversationParts, ConversationContext> => ({
  ...definition,
  setup: (runtime) => definition.setup({ ...runtime, clock }),
});

export const startHarness = (
  label: string,
  { clock, ...options }: { relay?: boolean; onQuery?: (sql: string) => void; clock?: () => Date } = {},
): Promise<Harness> =>
  startServiceForTest(clock ? withClock(clock) : definition, {
    envSchema,
    principal: ADVISOR,
    label,
    ...options,
  });

// One turn of the bot, as the tests read it (typed from the SDL, test/generated).
graphql(`
  fragment TurnFields on ConversationTurn {
    conversation {
      id
      phase
      status
      channel
      version: updatedAt
    }
    reply
    replies
    phase
    status
    collected
  }
`);

export const START_CONVERSATION = graphql(`
  mutation StartConversation($input: StartConversationInput) {
    startConversation(input: $input) {
      ...TurnFields
    }
  }
`);

export const SEND_MESSAGE = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      ...TurnFields
    }
  }
`);

export const AUTHENTICATION_ALERTS = graphql(`
  query AuthenticationAlerts($first: Int) {
    authenticationAlerts(first: $first) {
      id
      matriculeHint
      client {
        id
      }
      conversation {
        id
      }
      lockout
      failures
      lockedAt
      lockedUntil
      active
    }
  }
`);
