// Feeds the claims this service knows (sinistres_connus) from the claims service's events:
// ClaimOpened (whose claim it is, under which contract, and what the assessment reads: type,
// day, third party, estimate) and ClaimStatusChanged (where the claim stands). A ClaimOpened
// recorded for the first time makes the automatic proposal when its contract is known
// (reimbursement.service.ts proposeForClaim). Idempotent: the backbone records (consumer, event
// id) in the transaction of the write, and a claim already known is never overwritten (a
// ClaimOpened republished under another id changes nothing; one naming another owner is
// dead-lettered). Logs and rejections name event and claim ids only, never the client.
import { rejectEvent, topicForEventType, type AnyEvent } from '@crm/events';
import { callerOfEvent, type ServiceRuntime, isUuid } from '@crm/subgraph';
import { type EntityManager } from 'typeorm';
import { lockContractKey } from '../contract/contract.repository';
import { type ReimbursementService } from '../reimbursement/reimbursement.service';
import { lockClaimKey, type KnownClaimRepository } from './claim.repository';

export const KNOWN_CLAIMS_CONSUMER = 'reimbursement.known-claims';
export const KNOWN_CLAIMS_TYPES = ['ClaimOpened', 'ClaimStatusChanged'] as const;

export async function applyClaimOpened(
  event: AnyEvent,
  manager: EntityManager,
  repo: KnownClaimRepository,
  reimbursements?: ReimbursementService,
): Promise<void> {
  if (event.type === 'ClaimStatusChanged') {
    // a claim not known yet: its ClaimOpened (same key, earlier) was refused; nothing to move
    await repo.setStatus(
      manager,
      event.data.claimId.toLowerCase(),
      event.data.to,
      new Date(event.occurredAt),
    );
    return;
  }
  if (event.type !== 'ClaimOpened') return;
  const { claimId, clientId, contractId } = event.data;
  // our ids are UUIDs; anything else can never be stored: dead-letter it at once, no retries
  // (the field is named, not its value)
  const ids = { claimId, clientId, ...(contractId === null ? {} : { contractId }) };
  for (const [field, id] of Object.entries(ids))
    if (!isUuid(id)) throw rejectEvent(`ClaimOpened ${event.id}: ${field} is not a UUID`);
  const claim = claimId.toLowerCase();
  const contract = contractId === null ? null : contractId.toLowerCase();
  // the same lock as the contract's consumer: one of the two sees the other's row
  await lockContractKey(manager, contract ?? claim);
  // and the claim's: a reimbursement requested meanwhile commits first, and is reassessed below
  await lockClaimKey(manager, claim);
  const d = event.data;
  const outcome = await repo.record(manager, {
    claimId: claim,
    clientId: clientId.toLowerCase(),
    contractId: contract,
    openedAt: new Date(event.occurredAt),
    claimType: d.claimType,
    occurredOn: d.occurredOn,
    thirdPartyInvolved: d.thirdPartyInvolved ?? null,
    thirdPartyResponsible: d.thirdPartyResponsible ?? null,
    estimatedDamage: d.estimatedDamage ?? null,
    status: d.status ?? null,
    channel: d.channel,
  });
  // a claim's policyholder and contract never change: another owner is a fault upstream, kept
  // for an operator to look at (dead letters) rather than moving whose reimbursements these are
  if (outcome === 'conflict')
    throw rejectEvent(
      `ClaimOpened ${event.id}: claim ${claim} is known with another policyholder or contract`,
    );
  if (outcome === 'recorded' && reimbursements) {
    // a reimbursement requested before the claim was known here is assessed now
    await reimbursements.reassessPending(manager, claim);
    await reimbursements.proposeForClaim(manager, claim, callerOfEvent(KNOWN_CLAIMS_CONSUMER, event));
  }
}

export async function subscribeKnownClaims(
  runtime: ServiceRuntime,
  repo: KnownClaimRepository,
  reimbursements: ReimbursementService,
): Promise<void> {
  await runtime.events.subscribe({
    consumer: KNOWN_CLAIMS_CONSUMER,
    topics: [topicForEventType('ClaimOpened', runtime.events.catalog).name],
    types: KNOWN_CLAIMS_TYPES,
    // a claim of an erased client stays the insurer's (amounts, statuses): known without its
    // account or a status's reason, which nothing here reads
    erased: 'strip',
    handler: (event, manager) => applyClaimOpened(event, manager, repo, reimbursements),
  });
}
