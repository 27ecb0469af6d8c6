// The conversation subgraph: bot conversations, the claims' conversation history, and the
// directory projection the bot authenticates against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, PeriodicTask, scalarResolvers, type ServiceDefinition } from '@crm/subgraph';
import { authenticationResolvers } from './authentication/authentication.resolvers';
import { GUARD_POLICY, type GuardPolicy } from './authentication/authentication.rules';
import { AuthenticationGuard } from './authentication/authentication.service';
import { botResolvers } from './bot/bot.resolvers';
import { BotService } from './bot/bot.service';
import { subscribeClaimLinks } from './conversation/claim-link.consumer';
import { createContext, type ConversationContext, type ConversationParts } from './context';
import { ConversationEntity } from './conversation/conversation.entity';
import { conversationResolvers } from './conversation/conversation.resolvers';
import { ConversationService } from './conversation/conversation.service';
import { MessageEntity } from './conversation/message.entity';
import { CreateConversations1763900000000 } from './db/migrations/1763900000000-CreateConversations';
import { CreateDirectoryProjection1763900001000 } from './db/migrations/1763900001000-CreateDirectoryProjection';
import { CreateBotAuthentication1763900002000 } from './db/migrations/1763900002000-CreateBotAuthentication';
import { subscribeDirectory } from './directory/directory.consumer';
import {
  DirectoryClaimEntity,
  DirectoryClientEntity,
  DirectoryContractEntity,
  DirectoryErasureEntity,
} from './directory/directory.entity';
import type { Env } from './env';
import { policies } from './policies';

/** The SDL file beside this module (src/ under tsx and jest; the build does not copy it to dist/). */
function readSchema(): string {
  for (const dir of [__dirname, join(__dirname, '..', 'src')]) {
    try {
      return readFileSync(join(dir, 'schema.graphql'), 'utf8');
    } catch {
      // try the next place
    }
  }
  throw new Error('conversation: schema.graphql not found');
}

export const typeDefs = gql(readSchema());

/** How often the bot's authentication counters are purged of what no longer counts. */
export const AUTH_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The bot's brute-force policy with what the environment sets. */
export const guardPolicyOf = (env: Pick<Env, 'BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY'>): GuardPolicy => ({
  ...GUARD_POLICY,
  addressDailyCeiling: env.BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY,
});

export const conversationService = (
  guardPolicy: GuardPolicy = GUARD_POLICY,
): ServiceDefinition<ConversationParts, ConversationContext> => ({
  name: 'conversation',
  policies,
  typeDefs,
  entities: [
    ConversationEntity,
    MessageEntity,
    DirectoryClientEntity,
    DirectoryContractEntity,
    DirectoryClaimEntity,
    DirectoryErasureEntity,
  ],
  migrations: [
    CreateConversations1763900000000,
    CreateDirectoryProjection1763900001000,
    CreateBotAuthentication1763900002000,
  ],
  setup: (runtime) => {
    const guard = new AuthenticationGuard(runtime, guardPolicy);
    return {
      runtime,
      conversations: new ConversationService(runtime),
      guard,
      bot: new BotService(runtime, guard),
      authPurge: new PeriodicTask(
        'bot authentication purge',
        AUTH_PURGE_INTERVAL_MS,
        () => guard.purge(runtime.clock()),
        runtime.logger,
      ),
    };
  },
  resolvers: (parts) => {
    const history = conversationResolvers(parts.conversations);
    const bot = botResolvers(parts.bot);
    const authentication = authenticationResolvers(parts.guard, parts.runtime.clock);
    return {
      ...scalarResolvers,
      ...history,
      Query: { ...history.Query, ...authentication.Query },
      Mutation: { ...history.Mutation, ...bot.Mutation },
      ConversationTurn: bot.ConversationTurn,
      AuthenticationAlert: authentication.AuthenticationAlert,
    };
  },
  context: createContext,
  consumers: async (parts) => {
    await subscribeDirectory(parts.runtime);
    await subscribeClaimLinks(parts.runtime);
    // once now, then hourly: yesterday's address keys go soon after midnight (UTC)
    parts.authPurge.start();
  },
  stop: (parts) => parts.authPurge.stop(),
});

export const definition = conversationService();

/** The service as its environment configures it (main.ts, npm start). */
export const definitionFromEnv = (env: Env) => conversationService(guardPolicyOf(env));
