import { newEvent, type ContractIssuedDataV1, type EventEnvelope } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import type { ContractState } from './contract.rules';

/**
 * ContractIssued carries the client's matricule and every fact the bot reads back to confirm a
 * policy ("Numéro de contrat", type, status, subscription date, coverages).
 */
export function contractIssued(
  contract: ContractState,
  matricule: string,
  caller: Caller,
): EventEnvelope<'ContractIssued'> {
  if (contract.type === null || contract.status === null || contract.subscribedOn === null)
    throw new Error('an issued contract has a type, a status and a subscription date');
  const data: ContractIssuedDataV1 = {
    contractId: contract.id,
    clientId: contract.clientId,
    matricule,
    contractNumber: contract.contractNumber,
    type: contract.type,
    status: contract.status,
    subscribedOn: contract.subscribedOn,
    coverages: contract.coverages ?? [],
    issuedAt: contract.createdAt.toISOString(),
  };
  if (contract.expiresOn !== null) data.expiresOn = contract.expiresOn;
  if (contract.thirdPartyDeductible !== null) data.thirdPartyDeductible = contract.thirdPartyDeductible;
  if (contract.collisionDeductible !== null) data.collisionDeductible = contract.collisionDeductible;
  if (contract.propertyDamageCover !== null) data.propertyDamageCover = contract.propertyDamageCover;
  if (contract.thirdPartyCover !== null) data.thirdPartyCover = contract.thirdPartyCover;
  if (contract.civilLiabilityCover !== null) data.civilLiabilityCover = contract.civilLiabilityCover;
  return newEvent('ContractIssued', data, eventOptions(caller, 'identity', contract.id, contract.createdAt));
}
