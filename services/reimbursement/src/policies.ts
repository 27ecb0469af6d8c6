// Who may use each field of the reimbursement subgraph (deny by default: @crm/subgraph refuses
// to start with a field missing here). A policyholder (role client, subject = client id) reads
// the reimbursements of his own claims, whichever path reaches them (by id, by claim, through
// the Claim entity): whose claim it is comes from the claims this service knows
// (sinistres_connus, fed by ClaimOpened), carried by every reimbursement and Claim this
// subgraph returns. A reimbursement whose claim is not known here yet has no owner: staff only.
// Every field of a reimbursement is what the insurer tells the policyholder about his money
// (amounts, deductible, status, dates, how it is paid, and why it was refused: a refusal is
// explained to him), so none is held back as a working field; advisors write rejectionReason
// for the policyholder; the contract's assessment and proposal too (why it is covered or not).
// The advisor's override of the assessment (reason, who) stays staff's. Requesting and deciding reimbursements stays staff's; partners read nothing.
import { anyCaller, ownerOrStaff, staff, staffOrClients, type PolicyMap } from '@crm/subgraph';
import type { ClaimRef, ReimbursementView } from './reimbursement/reimbursement.mapping';

const WHOSE_CLAIM = 'the policyholder whose claim it is (a claim known here from ClaimOpened)';

export const policies: PolicyMap = {
  // the reimbursements' own fields say whose they are
  'Query.reimbursement': staffOrClients,
  'Query.reimbursementsByClaim': staffOrClients,
  'Mutation.createReimbursement': staff,
  'Mutation.updateReimbursement': staff,
  'Reimbursement.*': ownerOrStaff((r) => (r as ReimbursementView).clientId, WHOSE_CLAIM),
  // why an advisor departed from the contract, and who: the insurer's working record
  'Reimbursement.override': staff,
  // reached only through a checked reimbursement
  'ReimbursementAssessment.*': anyCaller,
  'ReimbursementProposal.*': anyCaller,
  'ReimbursementOverride.*': anyCaller,
  'Claim.*': ownerOrStaff((claim) => (claim as ClaimRef).clientId, WHOSE_CLAIM),
};
