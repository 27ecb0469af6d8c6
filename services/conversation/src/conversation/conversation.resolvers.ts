// Thin resolvers: read arguments and context, call one service method or loader, return.
import { parseInput } from '@crm/subgraph';
import { type ConversationContext } from '../context';
import { type ConversationView } from './conversation.mapping';
import { lastSchema, type ConversationService } from './conversation.service';

interface Ref {
  id: string;
}
interface LastArgs {
  last?: number | null;
}

const lastOf = (args: LastArgs): number | undefined => parseInput(lastSchema, args).last ?? undefined;

export function conversationResolvers(service: ConversationService) {
  return {
    Query: {
      conversation: (_: unknown, args: { id: string }) => service.conversation(args.id),
      claimHistory: (_: unknown, args: { claimId: string }) => service.claimHistory(args.claimId),
    },
    Mutation: {
      addClaimMessage: (_: unknown, args: { input: unknown }, ctx: ConversationContext) =>
        service.addClaimMessage(args.input, ctx.caller),
    },
    Conversation: {
      __resolveReference: (ref: Ref, ctx: ConversationContext) => ctx.loaders.conversationById.load(ref.id),
      claim: (c: ConversationView) => (c.claimId ? { id: c.claimId } : null),
      client: (c: ConversationView) => (c.clientId ? { id: c.clientId } : null),
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
