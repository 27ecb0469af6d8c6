// Who may use each field of the claims subgraph (deny by default: @crm/subgraph refuses to
// start with a field missing here). A policyholder (role client, subject = client id) reads
// his own claims' facts and progress; how the insurer works them (triggers, history, actions,
// the partner case, the advisor) and every change are staff's. Partners read nothing; they
// only send their messages (ingestPartnerMessage).
import {
  anyCaller,
  ownerOrStaff,
  roles,
  staff,
  staffOrClients,
  staffOrTheClient,
  supervisors,
  type PolicyMap,
} from '@crm/subgraph';
import type { ClaimEntity } from './claims/claim.entity';

const ownClaim = ownerOrStaff((claim) => (claim as ClaimEntity).clientId, 'the policyholder who declared it');

export const policies: PolicyMap = {
  'Query.claim': staffOrClients,
  'Query.claimByNumber': staffOrClients,
  'Query.claims': staff,
  'Query.case': staff,
  'Query.casesByLead': staff,
  'Query.cases': staff,
  'Mutation.openClaim': staff,
  'Mutation.updateClaim': staff,
  'Mutation.archiveClaim': staff,
  'Mutation.changeClaimStatus': staff,
  'Mutation.recordClaimActivity': staff,
  'Mutation.setRecommendedActionStatus': staff,
  // a partner authenticated by the gateway (its source), or the system (a replay tool)
  'Mutation.ingestPartnerMessage': roles('partner', 'system'),
  'PartnerMessageReceipt.*': anyCaller,
  'Claim.*': ownClaim,
  'Claim.assignedAdvisor': staff,
  'Claim.case': staff,
  'Claim.triggers': staff,
  'Claim.statusHistory': staff,
  'Claim.recommendedActions': staff,
  'Claim.allowedTransitions': staff,
  'Claim.cciPolicyVersion': staff,
  // who did and read what on the claim (docs/security.md, Audit log)
  'Claim.auditTrail': supervisors,
  // a client's own list; each claim in it is checked again
  'Client.*': staffOrTheClient,
  // a contract reference carries no owner here
  'Contract.*': staff,
  'Advisor.*': staff,
  'Case.*': staff,
  'CaseEvent.*': staff,
  // reached only through a checked parent
  'ClaimActivity.*': anyCaller,
  'AuditRecord.*': anyCaller,
  'AuditFieldChange.*': anyCaller,
  'ClaimTrigger.*': anyCaller,
  'ClaimStatusChange.*': anyCaller,
  'CciFactor.*': anyCaller,
  'RecommendedAction.*': anyCaller,
  'CaseEventNote.*': anyCaller,
  'ClaimConnection.*': anyCaller,
  'ClaimEdge.*': anyCaller,
  'CaseEventConnection.*': anyCaller,
  'CaseConnection.*': anyCaller,
  'CaseEdge.*': anyCaller,
  'CaseStatusCount.*': anyCaller,
  'CaseEventEdge.*': anyCaller,
  'PageInfo.*': anyCaller,
};
