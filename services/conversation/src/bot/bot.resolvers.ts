// Thin resolvers of the bot's mutations: arguments typed from the SDL, inputs parsed here once.
import { parseInput } from '@crm/subgraph';
import { type ConversationContext } from '../context';
import type {
  MutationSendMessageArgs,
  MutationSendVoiceMessageArgs,
  MutationStartConversationArgs,
} from '../generated/graphql';
import { sendMessageSchema, sendVoiceMessageSchema, startConversationSchema } from './bot.inputs';
import { type BotService, type TurnView } from './bot.service';
import { returnedByOwnTurn } from '../policies';

export function botResolvers(bot: BotService) {
  return {
    Mutation: {
      // each turn notes its changes under the conversation's id (its key's subject); a
      // ConversationTurn has no id, nor have these inputs, so the audit plugin (which takes the
      // argument id, input.id or the result's id) names no entity for their records and does not
      // attach them yet
      startConversation: (_: unknown, args: MutationStartConversationArgs, ctx: ConversationContext) =>
        bot.start(parseInput(startConversationSchema, args.input ?? {}), ctx.caller, ctx.audit),
      sendMessage: (_: unknown, args: MutationSendMessageArgs, ctx: ConversationContext) =>
        bot.send(parseInput(sendMessageSchema, args.input), ctx.caller, ctx.audit),
      sendVoiceMessage: (_: unknown, args: MutationSendVoiceMessageArgs, ctx: ConversationContext) =>
        bot.sendVoice(parseInput(sendVoiceMessageSchema, args.input), ctx.caller, ctx.audit),
    },
    ConversationTurn: {
      // the conversation the caller is talking in: his to read, bound to him or not yet
      conversation: (turn: TurnView) => returnedByOwnTurn(turn.conversation),
    },
  };
}
