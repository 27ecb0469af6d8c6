// Thin resolvers: arguments typed from the SDL, parsed here once, one service method or loader.
import { parseInput } from '@crm/subgraph';
import { type ConversationContext } from '../context';
import { intakeOfContext, type ConversationView } from './conversation.mapping';
import type {
  ClaimMessagesArgs,
  ConversationMessagesArgs,
  MutationAddClaimMessageArgs,
  QueryClaimHistoryArgs,
  QueryConversationArgs,
} from '../generated/graphql';
import { lastSchema, uuidArg } from './conversation.inputs';
import { type ConversationService } from './conversation.service';
import { parseAddClaimMessage } from './message.rules';

interface Ref {
  id: string;
}
type LastArgs = ConversationMessagesArgs | ClaimMessagesArgs;

const lastOf = (args: LastArgs): number | undefined => parseInput(lastSchema, args).last ?? undefined;

export function conversationResolvers(service: ConversationService) {
  return {
    Query: {
      conversation: (_: unknown, args: QueryConversationArgs) =>
        service.conversation(parseInput(uuidArg('id'), args).id),
      claimHistory: (_: unknown, args: QueryClaimHistoryArgs) =>
        service.claimHistory(parseInput(uuidArg('claimId'), args).claimId),
    },
    Mutation: {
      addClaimMessage: (_: unknown, args: MutationAddClaimMessageArgs, ctx: ConversationContext) =>
        service.addClaimMessage(parseAddClaimMessage(args.input), ctx.caller, ctx.audit),
    },
    Conversation: {
      __resolveReference: (ref: Ref, ctx: ConversationContext) => ctx.loaders.conversationById.load(ref.id),
      claim: (c: ConversationView) => (c.claimId ? { id: c.claimId } : null),
      client: (c: ConversationView) => (c.clientId ? { id: c.clientId } : null),
      intake: (c: ConversationView) => intakeOfContext(c.context),
      messages: (c: ConversationView, args: LastArgs, ctx: ConversationContext) =>
        ctx.loaders.messages('conversation', lastOf(args)).load(c.id),
    },
    Claim: {
      __resolveReference: (ref: Ref) => ({ id: ref.id }),
      conversation: async (claim: Ref, _: unknown, ctx: ConversationContext) =>
        (await ctx.loaders.conversationsByClaim.load(claim.id))[0] ?? null,
      messages: (claim: Ref, args: LastArgs, ctx: ConversationContext) =>
        ctx.loaders.messages('claim', lastOf(args)).load(claim.id),
    },
    Client: {
      __resolveReference: (ref: Ref) => ({ id: ref.id }),
      conversations: (client: Ref, _: unknown, ctx: ConversationContext) =>
        ctx.loaders.conversationsByClient.load(client.id),
    },
  };
}
