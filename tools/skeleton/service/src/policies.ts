// Who may use each field of the sample subgraph (deny by default: @crm/subgraph refuses to
// start with a field missing here; docs/graph.md's policy table is generated from these maps).
import { staff, type PolicyMap } from '@crm/subgraph';

export const policies: PolicyMap = {
  'Query.widget': staff,
  'Mutation.createWidget': staff,
  'Widget.*': staff,
};
