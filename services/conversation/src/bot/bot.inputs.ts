// The bot's mutations' inputs, parsed once at the resolver edge into the commands BotService takes.
import { z } from '@crm/config';

/** One spoken or typed turn; longer input is not a turn of a claims conversation. */
export const MAX_TURN_TEXT = 2000;

export const startConversationSchema = z.object({
  channel: z.enum(['CHAT', 'VOICE', 'WEB']).nullish(),
});

export const sendMessageSchema = z.object({
  conversationId: z.uuid('must be a UUID'),
  text: z.string().trim().min(1, 'must not be blank').max(MAX_TURN_TEXT),
  sttConfidence: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').nullish(),
});
export type StartConversation = z.infer<typeof startConversationSchema>;
export type SendMessage = z.infer<typeof sendMessageSchema>;
