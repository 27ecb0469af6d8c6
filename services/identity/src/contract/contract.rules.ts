// Contract rules: defaults, the contract number (inputs: contract.inputs.ts).
// Pure: `now`, ids and randomness come in as arguments.
import { optionalContractTerms } from '@crm/events';
import { utcDate } from '../shared/command';
import type { IssueContract } from './contract.inputs';
import type { ContractStatus, ContractType } from './contract.mapping';

export interface ContractState {
  id: string;
  clientId: string;
  contractNumber: string;
  type: ContractType | null;
  subscribedOn: string | null;
  expiresOn: string | null;
  status: ContractStatus | null;
  coverages: string[] | null;
  thirdPartyDeductible: string | null;
  collisionDeductible: string | null;
  propertyDamageCover: boolean | null;
  thirdPartyCover: boolean | null;
  civilLiabilityCover: boolean | null;
  createdAt: Date;
}

/**
 * What a contract's audit record keeps of its issue (docs/security.md, Audit log): its number,
 * type, status, dates, coverages and deductibles, as new values sealed under its client's key
 * (a contract belongs to a client: his erasure makes them unreadable). Not the client himself
 * (the key's subject, named by the contract) nor when it was made (the record's own time).
 */
export const AUDITED_CONTRACT_FIELDS = [
  'contractNumber',
  'type',
  'status',
  'subscribedOn',
  'expiresOn',
  'coverages',
  'thirdPartyDeductible',
  'collisionDeductible',
  'propertyDamageCover',
  'thirdPartyCover',
  'civilLiabilityCover',
] as const satisfies readonly (keyof ContractState)[];

// unambiguous when read aloud or copied by hand: no 0/O, 1/I
const NUMBER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** "CT-2026-7KQ2MX9P": the year of issue and 8 random characters (32^8, about 10^12). */
export function generateContractNumber(now: Date, entropy: Uint8Array): string {
  if (entropy.length < 8) throw new Error('generateContractNumber needs 8 bytes of entropy');
  let suffix = '';
  for (let i = 0; i < 8; i += 1) suffix += NUMBER_ALPHABET[entropy[i]! % NUMBER_ALPHABET.length];
  return `CT-${now.getUTCFullYear()}-${suffix}`;
}

/** A new contract: active and subscribed today unless said otherwise, no coverage unless listed. */
export function newContract(
  input: IssueContract,
  ids: { id: string; contractNumber: string },
  now: Date,
): ContractState {
  return {
    id: ids.id,
    clientId: input.clientId.toLowerCase(),
    contractNumber: ids.contractNumber,
    type: input.type,
    subscribedOn: input.subscribedOn ?? utcDate(now),
    status: input.status ?? 'ACTIVE',
    coverages: input.coverages ?? [],
    ...optionalContractTerms(input),
    createdAt: now,
  };
}
