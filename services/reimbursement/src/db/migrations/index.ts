import type { KeyWrapper } from '@crm/privacy';
import { CreateRemboursements1763900000000 } from './1763900000000-CreateRemboursements';
import { CreateSinistresConnus1763900001000 } from './1763900001000-CreateSinistresConnus';
import { AddDateModification1765000000000 } from './1765000000000-AddDateModification';
import { ReimbursementFromContract1766000000000 } from './1766000000000-ReimbursementFromContract';
import { AuditLog1767000000000 } from './1767000000000-AuditLog';
import { PrivacyKeys1767800000000 } from './1767800000000-PrivacyKeys';
import { encryptReimbursementsMigration } from './1767800001000-EncryptReimbursements';

/**
 * In order; appended after the event backbone's by startService. The last one seals existing
 * rows, so it is made with the service's master key ring.
 */
export const reimbursementMigrations = (wrapper: KeyWrapper) => [
  CreateRemboursements1763900000000,
  CreateSinistresConnus1763900001000,
  AddDateModification1765000000000,
  ReimbursementFromContract1766000000000,
  AuditLog1767000000000,
  PrivacyKeys1767800000000,
  encryptReimbursementsMigration(wrapper),
];
