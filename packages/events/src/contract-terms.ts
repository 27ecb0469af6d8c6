// The contract terms a contract may leave out (ContractIssued's optional facts: its end date,
// its deductibles, its covers), as every store of contracts keeps them: one left out is null,
// a column's value, never an absent key. identity reads them from its input; conversation's
// directory and reimbursement's known contracts from ContractIssued. A new optional term is
// added here once.
import type { ContractIssuedDataV1 } from './generated/schemas.generated';

type OptionalTerm =
  | 'expiresOn'
  | 'thirdPartyDeductible'
  | 'collisionDeductible'
  | 'propertyDamageCover'
  | 'thirdPartyCover'
  | 'civilLiabilityCover';

export type OptionalContractTerms = { [K in OptionalTerm]: NonNullable<ContractIssuedDataV1[K]> | null };

/** The optional terms of `source` (an event's data, a command's input), each null when left out. */
export function optionalContractTerms(source: {
  [K in OptionalTerm]?: ContractIssuedDataV1[K] | null;
}): OptionalContractTerms {
  return {
    expiresOn: source.expiresOn ?? null,
    thirdPartyDeductible: source.thirdPartyDeductible ?? null,
    collisionDeductible: source.collisionDeductible ?? null,
    propertyDamageCover: source.propertyDamageCover ?? null,
    thirdPartyCover: source.thirdPartyCover ?? null,
    civilLiabilityCover: source.civilLiabilityCover ?? null,
  };
}
