// ClientErased (identity topic): the erased client's claims lose what he said and keep what the
// insurer must keep (docs/security.md, Erasure; ClaimRepository.eraseClient says which is
// which). Once per event (the processed-event row commits with the change), answered with
// ClaimsErased, the proof identity shows as the erasure's progress.
import type { EventConsumer } from '@crm/events';
import { subscribeClientErasure, type ServiceRuntime } from '@crm/subgraph';
import type { ClaimRepository } from '../claims/claim.repository';

export const ERASURE_CONSUMER = 'claims.erasure';

export function subscribeErasure(runtime: ServiceRuntime, claims: ClaimRepository): Promise<EventConsumer> {
  return subscribeClientErasure(
    runtime,
    'claims',
    ERASURE_CONSUMER,
    async (manager, clientId, now) => (await claims.eraseClient(manager, clientId, now)).length,
  );
}
