// The conversation domain's error codes (docs/graph.md's table is generated from this).
import { defineErrors } from '@crm/subgraph';

export const CONVERSATION_ERRORS = {
  'CONVERSATION.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no conversation with this id' },
  'CONVERSATION.NOT_A_BOT_CONVERSATION': {
    kind: 'UNPROCESSABLE',
    meaning:
      'the conversation has no bot context (a claim history only): send its messages with addClaimMessage',
  },
  'CONVERSATION.ERASED': {
    kind: 'UNPROCESSABLE',
    meaning:
      'the conversation was erased with its client (GDPR): nothing more is written in it; a new conversation starts afresh',
  },
  'CONVERSATION.CLAIM_ERASED': {
    kind: 'UNPROCESSABLE',
    meaning: "the claim's client was erased (GDPR): nothing more is written about him on this claim",
  },
  'CONVERSATION.CONCURRENT_UPDATE': {
    kind: 'CONFLICT',
    meaning: 'the conversation changed during this turn; send the message again',
  },
  'CONVERSATION.NOT_WITH_ADVISOR': {
    kind: 'CONFLICT',
    meaning: 'no advisor holds this conversation now (the bot, the queue or nobody answers the client)',
  },
  'CONVERSATION.NOT_HOLDER': {
    kind: 'FORBIDDEN',
    meaning:
      'another advisor holds this conversation: only he (or a supervisor) writes, hands back or closes',
  },
  'CONVERSATION.NOT_A_PARTICIPANT': {
    kind: 'FORBIDDEN',
    meaning: 'only the client and the advisor holding the conversation take part in it live',
  },
  'VOICE.TRANSCRIPTION_UNAVAILABLE': {
    kind: 'UNAVAILABLE',
    meaning:
      'the recording could not be transcribed now (no speech-to-text configured, or the provider is down): type the message, or try again',
  },
} as const;

export const { error: conversationError, notFound } = defineErrors(CONVERSATION_ERRORS);
