// The one place where the seed's French contract values meet the graph's English enums.
import type { ValueTransformer } from 'typeorm';

export type ContractType = 'AUTO' | 'HOME' | 'OTHER';
export type ContractTypeDb = 'auto' | 'habitation' | 'autre';
export type ContractStatus = 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';
export type ContractStatusDb = 'actif' | 'suspendu' | 'résilié';

const TYPE_TO_DB: Readonly<Record<ContractType, ContractTypeDb>> = {
  AUTO: 'auto',
  HOME: 'habitation',
  OTHER: 'autre',
};
const STATUS_TO_DB: Readonly<Record<ContractStatus, ContractStatusDb>> = {
  ACTIVE: 'actif',
  SUSPENDED: 'suspendu',
  TERMINATED: 'résilié',
};

export const contractTypeToDb = (type: ContractType): ContractTypeDb => TYPE_TO_DB[type];
export const contractStatusToDb = (status: ContractStatus): ContractStatusDb => STATUS_TO_DB[status];

export function contractTypeFromDb(value: string): ContractType {
  switch (value as ContractTypeDb) {
    case 'auto':
      return 'AUTO';
    case 'habitation':
      return 'HOME';
    case 'autre':
      return 'OTHER';
    default:
      throw new Error(`unknown contrats.type_contrat value: ${value}`);
  }
}

export function contractStatusFromDb(value: string): ContractStatus {
  switch (value as ContractStatusDb) {
    case 'actif':
      return 'ACTIVE';
    case 'suspendu':
      return 'SUSPENDED';
    case 'résilié':
      return 'TERMINATED';
    default:
      throw new Error(`unknown contrats.statut value: ${value}`);
  }
}

export const contractTypeColumn: ValueTransformer = {
  to: (value: ContractType | null | undefined) => (value == null ? value : contractTypeToDb(value)),
  from: (value: string | null) => (value === null ? null : contractTypeFromDb(value)),
};

export const contractStatusColumn: ValueTransformer = {
  to: (value: ContractStatus | null | undefined) => (value == null ? value : contractStatusToDb(value)),
  from: (value: string | null) => (value === null ? null : contractStatusFromDb(value)),
};
