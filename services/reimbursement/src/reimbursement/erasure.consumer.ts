// ClientErased (identity): what the reimbursements of the erased client's claims say in words
// goes (docs/security.md, Erasure): the keys of his claims are shredded, so a rejection's reason
// and an advisor's justification read as null wherever they are copied. The reimbursements
// themselves stay: amounts, dates, statuses, who decided. Answered with ReimbursementsErased,
// the proof identity shows as the erasure's progress.
import type { EventConsumer } from '@crm/events';
import { subscribeClientErasure } from '@crm/subgraph';
import type { ReimbursementParts } from '../context';

/** consumer group (and idempotency key) of the erasures */
export const ERASURE_CONSUMER = 'reimbursement.erasure';

export function subscribeErasure({ runtime, reimbursements }: ReimbursementParts): Promise<EventConsumer> {
  return subscribeClientErasure(runtime, 'reimbursement', ERASURE_CONSUMER, (manager, clientId) =>
    reimbursements.repository.eraseClient(manager, clientId),
  );
}
