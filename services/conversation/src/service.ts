// The conversation subgraph: bot conversations, the claims' conversation history, and the
// directory projection the bot authenticates against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, scalarResolvers, type ServiceDefinition } from '@crm/subgraph';
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
import { subscribeDirectory } from './directory/directory.consumer';
import {
  DirectoryClaimEntity,
  DirectoryClientEntity,
  DirectoryContractEntity,
  DirectoryErasureEntity,
} from './directory/directory.entity';
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

export const definition: ServiceDefinition<ConversationParts, ConversationContext> = {
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
  migrations: [CreateConversations1763900000000, CreateDirectoryProjection1763900001000],
  setup: (runtime) => ({
    runtime,
    conversations: new ConversationService(runtime),
    bot: new BotService(runtime),
  }),
  resolvers: (parts) => {
    const history = conversationResolvers(parts.conversations);
    const bot = botResolvers(parts.bot);
    return {
      ...scalarResolvers,
      ...history,
      Mutation: { ...history.Mutation, ...bot.Mutation },
      ConversationTurn: bot.ConversationTurn,
    };
  },
  context: createContext,
  consumers: async ({ runtime }) => {
    await subscribeDirectory(runtime);
    await subscribeClaimLinks(runtime);
  },
};
