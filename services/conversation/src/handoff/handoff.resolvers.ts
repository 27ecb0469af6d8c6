// Thin resolvers of the live handoff: arguments typed from the SDL, inputs parsed here once.
import { hasRole, STAFF } from '@crm/auth';
import { parseInput } from '@crm/subgraph';
import { type ConversationContext } from '../context';
import { type ConversationView, type MessageView } from '../conversation/conversation.mapping';
import { conversationError } from '../errors';
import type {
  MutationCloseConversationArgs,
  MutationHandBackToBotArgs,
  MutationSendAdvisorMessageArgs,
  MutationSetTypingArgs,
  SubscriptionConversationEventsArgs,
} from '../generated/graphql';
import { type ConversationFeed } from '../live/conversation-feed';
import { type LiveEvent } from '../live/live.rules';
import { type WrittenOwnershipChange } from './handoff.events';
import {
  closeConversationSchema,
  conversationEventsSchema,
  handBackSchema,
  sendAdvisorMessageSchema,
  setTypingSchema,
} from './handoff.inputs';
import { type HandoffService } from './handoff.service';

const advisorRef = (id: string | null) => (id ? { __typename: 'Advisor', id } : null);
const entryRef = (id: string | null | undefined) => (id ? { __typename: 'EscalationEntry', id } : null);

export function handoffResolvers(handoff: HandoffService, feed: ConversationFeed) {
  return {
    Mutation: {
      sendAdvisorMessage: (_: unknown, args: MutationSendAdvisorMessageArgs, ctx: ConversationContext) =>
        handoff.sendAdvisorMessage(parseInput(sendAdvisorMessageSchema, args.input), ctx.caller, ctx.audit),
      // no ctx.audit: typing stores nothing, so its audit record keeps no values (who, when, which
      // conversation's typing is all there is)
      setTyping: (_: unknown, args: MutationSetTypingArgs, ctx: ConversationContext) =>
        handoff.setTyping(parseInput(setTypingSchema, args.input), ctx.caller),
      handBackToBot: (_: unknown, args: MutationHandBackToBotArgs, ctx: ConversationContext) =>
        handoff.handBack(parseInput(handBackSchema, args.input), ctx.caller, ctx.audit),
      closeConversation: (_: unknown, args: MutationCloseConversationArgs, ctx: ConversationContext) =>
        handoff.close(parseInput(closeConversationSchema, args.input), ctx.caller, ctx.audit),
    },
    Subscription: {
      conversationEvents: {
        subscribe: async (_: unknown, args: SubscriptionConversationEventsArgs, ctx: ConversationContext) => {
          const { conversationId, afterSequence } = parseInput(conversationEventsSchema, args);
          // a policyholder follows only a conversation bound to him (the policy let clients in)
          if (hasRole(ctx.principal, 'client') && !hasRole(ctx.principal, ...STAFF)) {
            const conversation = await ctx.loaders.conversationById.load(conversationId);
            if (!conversation)
              throw conversationError('CONVERSATION.NOT_FOUND', 'no conversation with this id', {
                id: conversationId,
              });
            if (conversation.clientId?.toLowerCase() !== ctx.principal.sub.toLowerCase())
              throw conversationError(
                'CONVERSATION.NOT_A_PARTICIPANT',
                'only the client and the advisor holding the conversation take part in it live',
                { id: conversationId },
              );
          }
          return feed.subscribe(conversationId, afterSequence ?? null);
        },
        resolve: (event: LiveEvent) => event,
      },
    },
    ConversationEvent: {
      escalation: (event: LiveEvent) => entryRef(event.escalationId),
    },
    OwnershipChange: {
      advisor: (change: WrittenOwnershipChange) => advisorRef(change.advisorId),
      escalation: (change: WrittenOwnershipChange) => entryRef(change.escalationId),
    },
    Conversation: {
      advisor: (c: ConversationView) => advisorRef(c.owner === 'ADVISOR' ? c.advisorId : null),
      ownership: (c: ConversationView, _: unknown, ctx: ConversationContext) =>
        ctx.loaders.latestOwnership.load(c.id),
      escalation: (c: ConversationView) =>
        entryRef(c.owner === 'ADVISOR' || c.owner === 'WAITING_FOR_ADVISOR' ? c.escalationId : null),
    },
    ConversationMessage: {
      advisor: (m: MessageView) => advisorRef(m.advisorId),
    },
  };
}
