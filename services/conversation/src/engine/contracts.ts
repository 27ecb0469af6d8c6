// Which of the client's contracts a claim falls under: a burglary is home insurance, a stolen
// car is motor; the active contract first.
import type { ContractType, DirectoryClient, DirectoryContract } from './directory';
import type { ClaimType } from './nlu/claim-type';
import type { Turn } from './turn';

const VEHICLE =
  /\b(voiture|v[ée]hicule|auto|moto|scooter|camion|camionnette|utilitaire|pare-?brise|capot|r[ée]troviseur|carrosserie|pneus?|autoradio|coffre)\b/i;

export function primaryContract(client: DirectoryClient): DirectoryContract | undefined {
  return client.contracts.find((c) => c.status === 'actif') ?? client.contracts[0];
}

/** The contract type a claim falls under; null when any contract may cover it. */
export function wantedContractType(type: ClaimType, description: string): ContractType | null {
  switch (type) {
    case 'collision':
      return 'auto';
    case 'vol':
    case 'incendie':
    case 'degats':
      return VEHICLE.test(description) ? 'auto' : 'habitation';
    case 'blessure':
      return null;
  }
}

function contractFor(
  profile: DirectoryClient,
  type: ClaimType,
  description: string,
): DirectoryContract | undefined {
  const wanted = wantedContractType(type, description);
  const matching = profile.contracts.filter((c) => c.type === wanted);
  return matching.find((c) => c.status === 'actif') ?? matching[0] ?? primaryContract(profile);
}

/** Records the claim type (said or corrected) and moves the claim to the contract covering it. */
export function setClaimType(t: Turn, type: ClaimType): void {
  const c = t.collected;
  c.claimType = type;
  if (type === 'blessure') c.injuries = true;
  const profile = t.dialogue.profile;
  if (!profile) return;
  const contract = contractFor(profile, type, c.description ?? '');
  if (contract) {
    c.contractId = contract.contractId;
    c.contractNumber = contract.contractNumber;
  }
}
