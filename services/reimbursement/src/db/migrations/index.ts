import { CreateRemboursements1763900000000 } from './1763900000000-CreateRemboursements';
import { CreateSinistresConnus1763900001000 } from './1763900001000-CreateSinistresConnus';
import { AddDateModification1765000000000 } from './1765000000000-AddDateModification';
import { ReimbursementFromContract1766000000000 } from './1766000000000-ReimbursementFromContract';
import { AuditLog1767000000000 } from './1767000000000-AuditLog';

/** In order; appended after the event backbone's by startService. */
export const REIMBURSEMENT_MIGRATIONS = [
  CreateRemboursements1763900000000,
  CreateSinistresConnus1763900001000,
  AddDateModification1765000000000,
  ReimbursementFromContract1766000000000,
  AuditLog1767000000000,
];
