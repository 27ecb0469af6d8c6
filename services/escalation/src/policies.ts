// Who may use each field of the escalation subgraph (deny by default: @crm/subgraph refuses to
// start with a field missing here). The queue holds clients' and leads' personal data and is
// the insurer's work: staff only, advisors administered by supervisors. Finer rules (an advisor
// closes only his own entries, sets only his own status) stay in the resolvers and services.
import { anyCaller, staff, supervisors, type PolicyMap } from '@crm/subgraph';

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
  'Claim.*': staff,
  'Case.*': staff,
  'Client.*': staff,
  'Lead.*': staff,
  'Conversation.*': staff,
  // reached only through a checked parent
  'CallRequest.*': anyCaller,
  'Assignment.*': anyCaller,
  'QueueChange.*': anyCaller,
  'EscalationConnection.*': anyCaller,
  'EscalationEdge.*': anyCaller,
  'PageInfo.*': anyCaller,
};
