// Who may use each field of the conversation subgraph (deny by default: @crm/subgraph refuses
// to start with a field missing here). A policyholder (role client, subject = client id) talks
// to the bot and reads the conversations bound to him; a chat widget's visitor (role
// conversation, subject = the conversation id) talks in and reads his one conversation;
// transcripts of claims and notes added to them are staff's.
import {
  anyCaller,
  chatWidget,
  either,
  ownerOrStaff,
  staff,
  staffOrClients,
  staffOrTheClient,
  theConversation,
  type Policy,
  type PolicyMap,
} from '@crm/subgraph';
import type { ConversationView } from './conversation/conversation.mapping';

const OWN_TURN = Symbol('returned to the caller by his own turn');

/**
 * The conversation a startConversation or sendMessage returns to its caller: he is talking in
 * it, so he reads it even before the bot has bound it to a client. Marked on the object, never
 * on what Query.conversation loads by id.
 */
export function returnedByOwnTurn<T extends object>(conversation: T): T {
  return { ...conversation, [OWN_TURN]: true };
}
const ownTurn: Policy = {
  who: 'the caller of the turn that returned it',
  allows: (_principal, parent) => typeof parent === 'object' && parent !== null && OWN_TURN in parent,
};

export const policies: PolicyMap = {
  'Query.conversation': either(
    staffOrClients,
    theConversation((_parent, args) => args.id as string | undefined),
  ),
  'Query.claimHistory': staff,
  // the bot's brute-force alerts: advisors call the client back
  'Query.authenticationAlerts': staff,
  'AuthenticationAlert.*': staff,
  'Mutation.addClaimMessage': staff,
  'Mutation.startConversation': either(staffOrClients, chatWidget),
  // the advisor holding the conversation (checked by the service: CONVERSATION.NOT_HOLDER)
  'Mutation.sendAdvisorMessage': staff,
  'Mutation.handBackToBot': staff,
  'Mutation.closeConversation': staff,
  // the client of the conversation or its holder (checked by the service: NOT_A_PARTICIPANT)
  'Mutation.setTyping': either(
    staffOrClients,
    theConversation(
      (_parent, args) => (args.input as { conversationId?: string } | undefined)?.conversationId,
    ),
  ),
  // staff, the chat visitor of this conversation, a policyholder in his own (checked at subscribe)
  'Subscription.conversationEvents': either(
    staffOrClients,
    theConversation((_parent, args) => args.conversationId as string | undefined),
  ),
  'Mutation.sendMessage': either(
    staffOrClients,
    theConversation(
      (_parent, args) => (args.input as { conversationId?: string } | undefined)?.conversationId,
    ),
  ),
  // the same callers as sendMessage: the client of the conversation speaks in it
  'Mutation.sendVoiceMessage': either(
    staffOrClients,
    theConversation(
      (_parent, args) => (args.input as { conversationId?: string } | undefined)?.conversationId,
    ),
  ),
  'Conversation.*': either(
    ownerOrStaff(
      (conversation) => (conversation as ConversationView).clientId,
      'the policyholder the bot authenticated in it',
    ),
    ownTurn,
    theConversation((conversation) => (conversation as ConversationView).id),
  ),
  // the CCI and the file's progress are for advisors, not for the client or a chat visitor
  'Conversation.intake': staff,
  'ConversationIntake.*': anyCaller,
  'ConversationCciFactor.*': anyCaller,
  // a claim reference carries no owner here: its transcript is read from the conversation
  'Claim.*': staff,
  'Client.*': staffOrTheClient,
  // reached only through a checked parent or returned by the caller's own turn
  'ConversationMessage.*': anyCaller,
  'ConversationTurn.*': anyCaller,
  'ConversationEvent.*': anyCaller,
  'MessageAudio.*': anyCaller,
  'OwnershipChange.*': anyCaller,
  // references only (their id): escalation's own policies guard what they resolve to
  'Advisor.*': anyCaller,
  'EscalationEntry.*': anyCaller,
};
