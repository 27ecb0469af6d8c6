// Pure rules of the directory projection: how identity's and claims' facts are keyed and
// stored (the seed's French values, which the engine speaks), and how a row reads for the bot.
import { type ClaimStatus, type ClaimType, type ContractStatus, type ContractType } from '../engine';

/** Upper case, letters and digits only: "ab 123-cd", "AB123CD" and "AB-123-CD" are one key. */
export function matriculeKey(matricule: string): string {
  return matricule
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** ClientStatus of identity's events, as the seed's clients.statut. */
export function clientStatusValue(status: 'ACTIVE' | 'INACTIVE'): 'actif' | 'inactif' {
  switch (status) {
    case 'ACTIVE':
      return 'actif';
    case 'INACTIVE':
      return 'inactif';
  }
}

/** ContractType of identity's events, as the seed's contrats.type_contrat. */
export function contractTypeValue(type: 'AUTO' | 'HOME' | 'OTHER'): ContractType {
  switch (type) {
    case 'AUTO':
      return 'auto';
    case 'HOME':
      return 'habitation';
    case 'OTHER':
      return 'autre';
  }
}

/** ContractStatus of identity's events, as the seed's contrats.statut. */
export function contractStatusValue(status: 'ACTIVE' | 'SUSPENDED' | 'TERMINATED'): ContractStatus {
  switch (status) {
    case 'ACTIVE':
      return 'actif';
    case 'SUSPENDED':
      return 'suspendu';
    case 'TERMINATED':
      return 'résilié';
  }
}

const CLAIM_TYPES: Readonly<Record<string, ClaimType>> = {
  COLLISION: 'collision',
  THEFT: 'vol',
  FIRE: 'incendie',
  DAMAGE: 'degats',
  INJURY: 'blessure',
};

/** The graph's ClaimType (ClaimOpened) as the engine's; null for a value it does not know. */
export const engineClaimType = (type: string): ClaimType | null => CLAIM_TYPES[type] ?? null;

const CLAIM_STATUSES: readonly ClaimStatus[] = [
  'NEW',
  'IN_PROGRESS',
  'EXPERT_REVIEW',
  'VALIDATION',
  'CLOSED',
  'ESCALATED',
  'AWAITING_CLIENT',
];
export const isClaimStatus = (value: string): value is ClaimStatus =>
  (CLAIM_STATUSES as readonly string[]).includes(value);
