// Who may use each field of the escalation subgraph (deny by default: @crm/subgraph refuses to
// start with a field missing here). The queue holds clients' and leads' personal data and is
// the insurer's work: staff only (except a client's own place in it), advisors administered by
// supervisors. Finer rules (an advisor closes only his own entries, sets only his own status)
// stay in the resolvers and services.
import {
  anyCaller,
  either,
  ownerOrStaff,
  staff,
  supervisors,
  theConversation,
  type PolicyMap,
} from '@crm/subgraph';
import { type EscalationView } from './escalation/escalation.mapping';

/**
 * Where a client stands in the queue is his to know: staff, the policyholder whose entry it is
 * (role client, subject = the entry's client), or the chat visitor of its conversation (role
 * conversation, subject = the entry's conversation). Nothing else of the entry: the reasons,
 * the advisor and the rest stay staff's.
 */
const theirPlaceInTheQueue = either(
  ownerOrStaff((entry) => (entry as EscalationView).clientId, 'the policyholder whose entry it is'),
  theConversation(
    (entry) => (entry as EscalationView).conversationId,
    'the chat visitor of the conversation it came from',
  ),
);

export const policies: PolicyMap = {
  'Query.escalationQueue': staff,
  'Query.escalation': staff,
  'Query.advisors': staff,
  'Query.advisor': staff,
  'Mutation.escalateClaim': staff,
  'Mutation.assignEscalation': staff,
  'Mutation.startEscalation': staff,
  'Mutation.resolveEscalation': staff,
  'Mutation.registerAdvisor': supervisors,
  'Mutation.setAdvisorStatus': staff,
  'Subscription.escalationQueue': staff,
  'Subscription.myAssignments': staff,
  'Advisor.*': staff,
  'EscalationEntry.*': staff,
  'EscalationEntry.id': theirPlaceInTheQueue,
  'EscalationEntry.position': theirPlaceInTheQueue,
  'EscalationEntry.estimatedWaitSeconds': theirPlaceInTheQueue,
  'Claim.*': staff,
  'Case.*': staff,
  'Client.*': staff,
  'Lead.*': staff,
  'Conversation.*': staff,
  // reached only through a checked parent
  'CallRequest.*': anyCaller,
  'CallBack.*': anyCaller,
  'Assignment.*': anyCaller,
  'QueueChange.*': anyCaller,
  'EscalationConnection.*': anyCaller,
  'EscalationEdge.*': anyCaller,
  'PageInfo.*': anyCaller,
};
