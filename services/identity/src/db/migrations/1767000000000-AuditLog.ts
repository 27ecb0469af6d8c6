import { AuditLogMigration } from '@crm/db';

/** Issue 18: this service's hash-chained audit log (docs/security.md, Audit log). */
export class AuditLog1767000000000 extends AuditLogMigration {
  name = 'AuditLog1767000000000';
}
