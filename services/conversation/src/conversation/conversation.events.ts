// The conversation domain's events, built from what was written (one place, so the row and
// the event cannot disagree).
import { newEvent, type EventEnvelope } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import { roleToGraph } from './conversation.mapping';
import { type NewMessage } from './message.rules';

export const SOURCE = 'conversation';

export function messageRecorded(message: NewMessage, by: Caller): EventEnvelope<'MessageRecorded'> {
  const subject = message.conversationId ?? message.claimId;
  if (!subject) throw new Error('a message belongs to a conversation or a claim');
  return newEvent(
    'MessageRecorded',
    {
      messageId: message.id,
      ...(message.conversationId ? { conversationId: message.conversationId } : {}),
      ...(message.claimId ? { claimId: message.claimId } : {}),
      role: roleToGraph(message.role),
      ...(message.advisorId !== null ? { advisorId: message.advisorId } : {}),
      ...(message.text !== null ? { text: message.text } : {}),
      ...(message.sttTranscript !== null ? { sttTranscript: message.sttTranscript } : {}),
      ...(message.sttConfidence !== null ? { sttConfidence: message.sttConfidence } : {}),
      ...(message.audioUrl !== null ? { audioUrl: message.audioUrl } : {}),
      ...(message.metadata !== null ? { metadata: message.metadata } : {}),
      recordedAt: message.timestamp.toISOString(),
      ...(message.sequence !== null ? { sequence: message.sequence } : {}),
    },
    eventOptions(by, SOURCE, subject, message.timestamp),
  );
}

/** A bot message's audio, recorded after its text went out (voice/voice.service.ts). */
export interface RecordedAudio {
  messageId: string;
  conversationId: string;
  sequence: number | null;
  audioUrl: string;
  readyAt: Date;
}

export function messageAudioReady(audio: RecordedAudio, by: Caller): EventEnvelope<'MessageAudioReady'> {
  return newEvent(
    'MessageAudioReady',
    {
      conversationId: audio.conversationId,
      messageId: audio.messageId,
      ...(audio.sequence !== null ? { sequence: audio.sequence } : {}),
      audioUrl: audio.audioUrl,
      readyAt: audio.readyAt.toISOString(),
    },
    eventOptions(by, SOURCE, audio.conversationId, audio.readyAt),
  );
}
