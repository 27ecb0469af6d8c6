// The seed's French enumeration values (database, CHECK constraints) and the graph's English
// ones (docs/graph.md) meet here and in escalation.mapping.ts, nowhere else.
import { enumMapping } from '@crm/subgraph';
import { corrupt, type WithStatus } from '../shared/mapping';

export type AdvisorStatus = 'AVAILABLE' | 'BUSY' | 'ON_BREAK';
export type StatutConseiller = 'disponible' | 'occupe' | 'pause';

const ADVISOR_STATUS: Record<AdvisorStatus, StatutConseiller> = {
  AVAILABLE: 'disponible',
  BUSY: 'occupe',
  ON_BREAK: 'pause',
};

export const advisorStatus = enumMapping(ADVISOR_STATUS, corrupt('conseillers.statut'));

/** A row in the graph's vocabulary: what resolvers return and rules read. */
export interface AdvisorView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  status: AdvisorStatus;
  specialty: string | null;
  activeClaims: number;
  capacity: number;
  createdAt: Date;
}

export const toAdvisorView = (row: WithStatus<AdvisorView>): AdvisorView => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  status: advisorStatus.fromDb(row.status),
  specialty: row.specialty,
  activeClaims: row.activeClaims,
  capacity: row.capacity,
  createdAt: row.createdAt,
});
