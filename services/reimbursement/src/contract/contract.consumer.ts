// Feeds the contracts this service knows (contrats_connus) from identity's ContractIssued, then
// makes the automatic proposal of the claims that were waiting for this contract. Idempotent:
// the backbone records (consumer, event id) with the insert, a known contract is never
// overwritten, and the proposal is made once per claim. Logs and rejections name ids only.
import { optionalContractTerms, rejectEvent, topicForEventType, type AnyEvent } from '@crm/events';
import { callerOfEvent, isUuid, type ServiceRuntime } from '@crm/subgraph';
import { type EntityManager } from 'typeorm';
import { type ContractTerms } from '../reimbursement/assessment.rules';
import { type ReimbursementService } from '../reimbursement/reimbursement.service';
import { lockContractKey, type KnownContractRepository } from './contract.repository';

export const KNOWN_CONTRACTS_CONSUMER = 'reimbursement.known-contracts';

export function contractTermsOf(event: AnyEvent): ContractTerms | null {
  if (event.type !== 'ContractIssued') return null;
  const d = event.data;
  return {
    contractId: d.contractId.toLowerCase(),
    clientId: d.clientId.toLowerCase(),
    status: d.status,
    subscribedOn: d.subscribedOn,
    coverages: d.coverages,
    ...optionalContractTerms(d),
  };
}

export async function applyContractIssued(
  event: AnyEvent,
  manager: EntityManager,
  repo: KnownContractRepository,
  reimbursements: ReimbursementService,
): Promise<void> {
  const terms = contractTermsOf(event);
  if (!terms || event.type !== 'ContractIssued') return;
  if (!isUuid(terms.contractId) || !isUuid(terms.clientId))
    throw rejectEvent(`ContractIssued ${event.id}: contractId or clientId is not a UUID`);
  await lockContractKey(manager, terms.contractId);
  if (!(await repo.record(manager, terms, new Date(event.data.issuedAt)))) return;
  await reimbursements.proposeForContract(
    manager,
    terms.contractId,
    callerOfEvent(KNOWN_CONTRACTS_CONSUMER, event),
  );
}

export async function subscribeKnownContracts(
  runtime: ServiceRuntime,
  repo: KnownContractRepository,
  reimbursements: ReimbursementService,
): Promise<void> {
  await runtime.events.subscribe({
    consumer: KNOWN_CONTRACTS_CONSUMER,
    topics: [topicForEventType('ContractIssued', runtime.events.catalog).name],
    types: ['ContractIssued'],
    // a contract of an erased client still frames the reimbursements the insurer keeps: its
    // terms are read without the matricule, which nothing here uses
    erased: 'strip',
    handler: (event, manager) => applyContractIssued(event, manager, repo, reimbursements),
  });
}
