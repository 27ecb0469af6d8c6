// Every operation the client chat sends, typed by graphql-codegen (npm run codegen). A chat
// visitor's conversation token reads only the conversation subgraph's fields, and from the
// escalation subgraph only the place of his own entry in the queue (position, estimated wait).
import { graphql } from '../generated';

// What the chat shows of a message, of a change of who answers, and of the client's place in the
// queue: the same fields whether they come live (CHAT_EVENTS) or from the history (CHAT_HISTORY).
graphql(`
  fragment ChatMessage on ConversationMessage {
    id
    role
    text
    sequence
    timestamp
    advisor {
      id
    }
  }
`);

graphql(`
  fragment ChatOwnership on OwnershipChange {
    sequence
    from
    to
    cause
    advisorName
    advisor {
      id
    }
  }
`);

graphql(`
  fragment ChatQueuePlace on EscalationEntry {
    id
    position
    estimatedWaitSeconds
  }
`);

export const CHAT_EVENTS = graphql(`
  subscription ChatConversationEvents($conversationId: ID!, $afterSequence: Int) {
    conversationEvents(conversationId: $conversationId, afterSequence: $afterSequence) {
      kind
      conversationId
      sequence
      owner
      participant
      typing
      at
      message {
        ...ChatMessage
      }
      ownership {
        ...ChatOwnership
      }
      escalation {
        ...ChatQueuePlace
      }
      audio {
        messageId
        url
      }
    }
  }
`);

export const CHAT_SEND_MESSAGE = graphql(`
  mutation ChatSendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      reply
      replies
      phase
      status
    }
  }
`);

export const CHAT_SET_TYPING = graphql(`
  mutation ChatSetTyping($input: SetTypingInput!) {
    setTyping(input: $input)
  }
`);

export const CHAT_QUEUE_PLACE = graphql(`
  query ChatQueuePlace($id: ID!) {
    conversation(id: $id) {
      id
      owner
      escalation {
        ...ChatQueuePlace
      }
    }
  }
`);

export const CHAT_HISTORY = graphql(`
  query ChatHistory($id: ID!) {
    conversation(id: $id) {
      id
      owner
      lastSequence
      ownership {
        ...ChatOwnership
      }
      messages(last: 500) {
        ...ChatMessage
      }
    }
  }
`);

export const CHAT_SEND_VOICE = graphql(`
  mutation ChatSendVoice($input: SendVoiceMessageInput!) {
    sendVoiceMessage(input: $input) {
      replies
      phase
      status
      messages {
        id
        role
        text
        sttConfidence
        audioUrl
      }
    }
  }
`);
