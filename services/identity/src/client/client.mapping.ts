// The one place where the seed's French client status values meet the graph's English enum.
import { enumMapping } from '@crm/subgraph';
import type { ValueTransformer } from 'typeorm';

export type ClientStatus = 'ACTIVE' | 'INACTIVE' | 'ERASED';
export type ClientStatusDb = 'actif' | 'inactif' | 'supprimé';

const TO_DB: Readonly<Record<ClientStatus, ClientStatusDb>> = {
  ACTIVE: 'actif',
  INACTIVE: 'inactif',
  // the seed's DELETE /clients/:id (RGPD) becomes an erasure that keeps the row, pseudonymized
  ERASED: 'supprimé',
};

// the CHECK constraint makes an unknown value unreachable unless the database drifts
const status = enumMapping(TO_DB, (value) => new Error(`unknown clients.statut value: ${value}`));

export const clientStatusToDb = status.toDb;
export const clientStatusFromDb = status.fromDb;

export const clientStatusColumn: ValueTransformer = {
  to: (value: ClientStatus | undefined) => (value === undefined ? undefined : clientStatusToDb(value)),
  from: (value: string | null) => (value === null ? null : clientStatusFromDb(value)),
};
