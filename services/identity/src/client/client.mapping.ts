// The one place where the seed's French client status values meet the graph's English enum.
import type { ValueTransformer } from 'typeorm';

export type ClientStatus = 'ACTIVE' | 'INACTIVE' | 'ERASED';
export type ClientStatusDb = 'actif' | 'inactif' | 'supprimé';

const TO_DB: Readonly<Record<ClientStatus, ClientStatusDb>> = {
  ACTIVE: 'actif',
  INACTIVE: 'inactif',
  // the seed's DELETE /clients/:id (RGPD) becomes an erasure that keeps the row, pseudonymized
  ERASED: 'supprimé',
};

export function clientStatusToDb(status: ClientStatus): ClientStatusDb {
  return TO_DB[status];
}

export function clientStatusFromDb(value: string): ClientStatus {
  switch (value as ClientStatusDb) {
    case 'actif':
      return 'ACTIVE';
    case 'inactif':
      return 'INACTIVE';
    case 'supprimé':
      return 'ERASED';
    default:
      // the CHECK constraint makes this unreachable unless the database drifts
      throw new Error(`unknown clients.statut value: ${value}`);
  }
}

export const clientStatusColumn: ValueTransformer = {
  to: (value: ClientStatus | undefined) => (value === undefined ? undefined : clientStatusToDb(value)),
  from: (value: string | null) => (value === null ? null : clientStatusFromDb(value)),
};
