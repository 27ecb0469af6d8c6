// Feeds the claims this service knows (sinistres_connus) from the claims service's ClaimOpened:
// whose claim a reimbursement is, so that a policyholder reads the reimbursements of his own
// claims (src/policies.ts). Idempotent: the backbone records (consumer, event id) in the
// transaction of the insert, and a claim already known is never overwritten (a ClaimOpened
// republished under another id changes nothing; one naming another owner is dead-lettered).
// Logs and rejections name event and claim ids only, never the client.
import { rejectEvent, topicForEventType, type AnyEvent } from '@crm/events';
import { type ServiceRuntime, isUuid } from '@crm/subgraph';
import { type EntityManager } from 'typeorm';
import { type KnownClaimRepository } from './claim.repository';

export const KNOWN_CLAIMS_CONSUMER = 'reimbursement.known-claims';

export async function applyClaimOpened(
  event: AnyEvent,
  manager: EntityManager,
  repo: KnownClaimRepository,
): Promise<void> {
  if (event.type !== 'ClaimOpened') return;
  const { claimId, clientId, contractId } = event.data;
  // our ids are UUIDs; anything else can never be stored: dead-letter it at once, no retries
  // (the field is named, not its value)
  const ids = { claimId, clientId, ...(contractId === null ? {} : { contractId }) };
  for (const [field, id] of Object.entries(ids))
    if (!isUuid(id)) throw rejectEvent(`ClaimOpened ${event.id}: ${field} is not a UUID`);
  const outcome = await repo.record(manager, {
    claimId: claimId.toLowerCase(),
    clientId: clientId.toLowerCase(),
    contractId: contractId === null ? null : contractId.toLowerCase(),
    openedAt: new Date(event.occurredAt),
  });
  // a claim's policyholder and contract never change: another owner is a fault upstream, kept
  // for an operator to look at (dead letters) rather than moving whose reimbursements these are
  if (outcome === 'conflict')
    throw rejectEvent(
      `ClaimOpened ${event.id}: claim ${claimId.toLowerCase()} is known with another policyholder or contract`,
    );
}

export async function subscribeKnownClaims(
  runtime: ServiceRuntime,
  repo: KnownClaimRepository,
): Promise<void> {
  await runtime.events.subscribe({
    consumer: KNOWN_CLAIMS_CONSUMER,
    topics: [topicForEventType('ClaimOpened', runtime.events.catalog).name],
    types: ['ClaimOpened'],
    handler: (event, manager) => applyClaimOpened(event, manager, repo),
  });
}
