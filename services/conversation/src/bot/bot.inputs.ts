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
/** a recording's bytes at most (the gateway takes 1 MB bodies: base64 makes 4/3 of it) */
export const MAX_RECORDING_BYTES = 600_000;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export const sendVoiceMessageSchema = z.object({
  conversationId: z.uuid('must be a UUID'),
  audio: z
    .string()
    .min(100, 'must be a recording in base64')
    .max(Math.ceil(MAX_RECORDING_BYTES / 3) * 4, `must be at most ${MAX_RECORDING_BYTES} bytes once decoded`)
    .regex(BASE64, 'must be base64')
    .transform((value) => Buffer.from(value, 'base64')),
  mimeType: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^audio\/(wav|x-wav|wave|webm|ogg|mpeg|mp4)(;[a-z0-9=.,\s-]*)?$/,
      'must be audio/wav, audio/webm, audio/ogg, audio/mpeg or audio/mp4',
    ),
});
export type SendVoiceMessage = z.infer<typeof sendVoiceMessageSchema>;
export type StartConversation = z.infer<typeof startConversationSchema>;
export type SendMessage = z.infer<typeof sendMessageSchema>;
