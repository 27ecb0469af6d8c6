// Thin resolvers of the bot's mutations.
import { type ConversationContext } from '../context';
import { type BotService } from './bot.service';

export function botResolvers(bot: BotService) {
  return {
    Mutation: {
      startConversation: (_: unknown, args: { input?: unknown }, ctx: ConversationContext) =>
        bot.start(args.input, ctx.caller),
      sendMessage: (_: unknown, args: { input: unknown }, ctx: ConversationContext) =>
        bot.send(args.input, ctx.caller),
    },
  };
}
