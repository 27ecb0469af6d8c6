// Who may use each field of the identity subgraph (deny by default: @crm/subgraph refuses to
// start with a field missing here). A policyholder (role client, subject = client id) reads
// his own record and contracts; the rest is the insurer's staff; erasure is a supervisor's.
import {
  anyCaller,
  ownerOrStaff,
  staff,
  staffOrClients,
  staffOrTheClient,
  supervisors,
  type PolicyMap,
} from '@crm/subgraph';
import type { ContractEntity } from './contract/contract.entity';

export const policies: PolicyMap = {
  'Query.client': ownerOrStaff((_, args) => args.id as string, 'the policyholder himself'),
  'Query.clientByMatricule': staff,
  'Query.clients': staff,
  // the contract's own fields say whose it is
  'Query.contract': staffOrClients,
  'Query.lead': staff,
  'Query.leadErasure': supervisors,
  'Mutation.registerClient': staff,
  'Mutation.updateClient': staff,
  'Mutation.issueContract': staff,
  'Mutation.eraseClient': supervisors,
  'Mutation.eraseLead': supervisors,
  // the client himself (his own account), or staff: an advisor removes a forgotten code once he
  // has checked who is calling
  'Mutation.setClientPin': ownerOrStaff(
    (_, args) => (args.input as { clientId?: string } | undefined)?.clientId,
    'the policyholder himself',
  ),
  'Client.*': staffOrTheClient,
  // who did and read what on the client (docs/security.md, Audit log)
  'Client.auditTrail': supervisors,
  // how far an erasure went (docs/security.md, Erasure)
  'Client.erasure': supervisors,
  // reached only through Client.erasure (supervisors)
  'ClientErasure.*': anyCaller,
  'ServiceErasure.*': anyCaller,
  // reached only through Client.auditTrail (supervisors)
  'AuditRecord.*': anyCaller,
  'AuditFieldChange.*': anyCaller,
  'Contract.*': ownerOrStaff(
    (contract) => (contract as ContractEntity).clientId,
    'the policyholder it covers',
  ),
  'Lead.*': staff,
  // reached only through Mutation.eraseLead (supervisors)
  'LeadErasure.*': anyCaller,
  // reached only through Query.leadErasure (supervisors)
  'LeadErasureProgress.*': anyCaller,
  // reached only through Query.clients (staff)
  'ClientConnection.*': anyCaller,
  'ClientEdge.*': anyCaller,
  'PageInfo.*': anyCaller,
};
