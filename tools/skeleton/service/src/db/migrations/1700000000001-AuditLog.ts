import { AuditLogMigration } from '@crm/db';

/** The service's hash-chained audit log, as every service has one (docs/security.md, Audit log). */
export class AuditLog1700000000001 extends AuditLogMigration {
  name = 'AuditLog1700000000001';
}
