// Thin resolvers of the bot's mutations: arguments typed from the SDL, inputs parsed here once.
import { parseInput } from '@crm/subgraph';
import { type ConversationContext } from '../context';
import type { MutationSendMessageArgs, MutationStartConversationArgs } from '../generated/graphql';
import { sendMessageSchema, startConversationSchema } from './bot.inputs';
import { type BotService } from './bot.service';

export function botResolvers(bot: BotService) {
  return {
    Mutation: {
      startConversation: (_: unknown, args: MutationStartConversationArgs, ctx: ConversationContext) =>
        bot.start(parseInput(startConversationSchema, args.input ?? {}), ctx.caller),
      sendMessage: (_: unknown, args: MutationSendMessageArgs, ctx: ConversationContext) =>
        bot.send(parseInput(sendMessageSchema, args.input), ctx.caller),
    },
  };
}
