// Thin resolvers of the bot's mutations.
import { type ConversationContext } from '../context';
import { actorOf } from '@crm/subgraph';
import { type BotService } from './bot.service';

export function botResolvers(bot: BotService) {
  return {
    Mutation: {
      startConversation: (_: unknown, args: { input?: unknown }, ctx: ConversationContext) =>
        bot.start(args.input, { actor: actorOf(ctx.principal), correlationId: ctx.correlationId }),
      sendMessage: (_: unknown, args: { input: unknown }, ctx: ConversationContext) =>
        bot.send(args.input, { actor: actorOf(ctx.principal), correlationId: ctx.correlationId }),
    },
  };
}
