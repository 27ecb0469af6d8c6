// The live handoff's inputs, parsed once at the resolver edge into the commands HandoffService takes.
import { z } from '@crm/config';
import { MAX_TURN_TEXT } from '../bot/bot.inputs';

const conversationId = z.uuid('must be a UUID');

export const sendAdvisorMessageSchema = z.object({
  conversationId,
  text: z.string().trim().min(1, 'must not be blank').max(MAX_TURN_TEXT),
});

export const setTypingSchema = z.object({ conversationId, typing: z.boolean() });

export const handBackSchema = z.object({ conversationId });

export const closeConversationSchema = z.object({
  conversationId,
  resolution: z.string().trim().min(1, 'must not be blank').max(500),
});

export const conversationEventsSchema = z.object({
  conversationId,
  afterSequence: z.number().int().min(0, 'must be 0 or more').nullish(),
});

export type SendAdvisorMessage = z.infer<typeof sendAdvisorMessageSchema>;
export type SetTyping = z.infer<typeof setTypingSchema>;
export type HandBack = z.infer<typeof handBackSchema>;
export type CloseConversation = z.infer<typeof closeConversationSchema>;
export type ConversationEventsArgs = z.infer<typeof conversationEventsSchema>;
