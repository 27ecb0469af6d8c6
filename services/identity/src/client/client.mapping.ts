// The one place where the seed's French client status values meet the graph's English enum.
import { enumMapping, SEED_CLIENT_STATUS } from '@crm/subgraph';
import type { ValueTransformer } from 'typeorm';

export type ClientStatus = 'ACTIVE' | 'INACTIVE' | 'ERASED';
export type ClientStatusDb = 'actif' | 'inactif' | 'supprimé';

// ERASED: the seed's DELETE /clients/:id (RGPD) becomes an erasure that keeps the row, pseudonymized
const TO_DB = SEED_CLIENT_STATUS satisfies Readonly<Record<ClientStatus, ClientStatusDb>>;

// the CHECK constraint makes an unknown value unreachable unless the database drifts
const status = enumMapping(TO_DB, (value) => new Error(`unknown clients.statut value: ${value}`));

export const clientStatusToDb = status.toDb;
export const clientStatusFromDb = status.fromDb;

export const clientStatusColumn: ValueTransformer = {
  to: (value: ClientStatus | undefined) => (value === undefined ? undefined : clientStatusToDb(value)),
  from: (value: string | null) => (value === null ? null : clientStatusFromDb(value)),
};
