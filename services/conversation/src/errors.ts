// The conversation domain's error codes (docs/graph.md's table is generated from this).
import { defineErrors } from '@crm/subgraph';

export const CONVERSATION_ERRORS = {
  'CONVERSATION.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no conversation with this id' },
  'CONVERSATION.NOT_A_BOT_CONVERSATION': {
    kind: 'UNPROCESSABLE',
    meaning:
      'the conversation has no bot context (a claim history only): send its messages with addClaimMessage',
  },
  'CONVERSATION.CONCURRENT_UPDATE': {
    kind: 'CONFLICT',
    meaning: 'the conversation changed during this turn; send the message again',
  },
} as const;

export const { error: conversationError, notFound } = defineErrors(CONVERSATION_ERRORS);
