// The one place where the seed's French contract values meet the graph's English enums.
import { enumMapping } from '@crm/subgraph';
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

const unknown = (column: string) => (value: string) =>
  new Error(`unknown contrats.${column} value: ${value}`);
const type = enumMapping(TYPE_TO_DB, unknown('type_contrat'));
const status = enumMapping(STATUS_TO_DB, unknown('statut'));

export const contractTypeToDb = type.toDb;
export const contractStatusToDb = status.toDb;
export const contractTypeFromDb = type.fromDb;
export const contractStatusFromDb = status.fromDb;

export const contractTypeColumn: ValueTransformer = {
  to: (value: ContractType | null | undefined) => (value == null ? value : contractTypeToDb(value)),
  from: (value: string | null) => (value === null ? null : contractTypeFromDb(value)),
};

export const contractStatusColumn: ValueTransformer = {
  to: (value: ContractStatus | null | undefined) => (value == null ? value : contractStatusToDb(value)),
  from: (value: string | null) => (value === null ? null : contractStatusFromDb(value)),
};
