// ClientErased (identity topic): the erased client's claims lose what he said and keep what the
// insurer must keep (docs/security.md, Erasure; ClaimRepository.eraseClient says which is
// which); LeadErased, and the lead erased with a client: his cases' journals can no longer be
// read (CaseRepository.eraseCases), nor the partners' dead letters of his e-mail. Once per event (the processed-event row commits with the
// change); a client's answered with ClaimsErased, the proof identity shows as the erasure's
// progress.
import type { EventConsumer } from '@crm/events';
import { subscribeClientErasure, vaultOf, type ServiceRuntime } from '@crm/subgraph';
import type { CaseRepository } from '../cases/case.repository';
import { erasePartnerDeadLetters } from '../cases/partner-dead-letters';
import type { ClaimRepository } from '../claims/claim.repository';

export const ERASURE_CONSUMER = 'claims.erasure';

export function subscribeErasure(
  runtime: ServiceRuntime,
  claims: ClaimRepository,
  cases: CaseRepository,
): Promise<EventConsumer> {
  const vault = vaultOf(runtime);
  return subscribeClientErasure(runtime, 'claims', ERASURE_CONSUMER, {
    client: async (manager, clientId, now) => (await claims.eraseClient(manager, clientId, now)).length,
    // an erased lead's cases (LeadErased, or the lead erased with the client): their keys shredded
    leadCases: (manager, caseIds, now) => cases.eraseCases(manager, caseIds, now),
    // the partners' messages of his e-mail it could not apply (dead letters, sealed by claims)
    partnerData: (manager, partnerKey) => erasePartnerDeadLetters(vault, manager, partnerKey),
  });
}
