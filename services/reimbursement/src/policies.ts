// Who may use each field of the reimbursement subgraph (deny by default: @crm/subgraph refuses
// to start with a field missing here). Staff only: this service does not know whose claim a
// reimbursement belongs to (no projection of claims yet), so a policyholder cannot be let in.
import { staff, type PolicyMap } from '@crm/subgraph';

export const policies: PolicyMap = {
  'Query.reimbursement': staff,
  'Query.reimbursementsByClaim': staff,
  'Mutation.createReimbursement': staff,
  'Mutation.updateReimbursement': staff,
  'Reimbursement.*': staff,
  'Claim.*': staff,
};
