export { createDataSource, openDatabase, type DataSourceSettings } from './data-source';
export { ensureDatabase, dropDatabase } from './database';
export { withDatabase, databaseName, redactUrl, assertIdentifier } from './urls';
export { firstPerParent, type PerParent } from './per-parent';
export { hydrator } from './hydrate';
export { lockKey, type LockQuery } from './locks';
export { simpleQuery, literalOf } from './simple-query';
export {
  auditHash,
  canonicalJson,
  GENESIS_HASH,
  valueDigest,
  verifyAuditChain,
  type AuditBreak,
  type AuditRow,
  type AuditVerdict,
  type FieldChange,
} from './audit/chain';
export {
  appendAudit,
  auditRowOf,
  readAuditChain,
  readAuditTrails,
  AUDIT_CHAIN_LOCK,
  AUDIT_COLUMNS,
  type AuditRecord,
  type AuditTarget,
} from './audit/append';
export { AuditLogMigration } from './audit/migration';
export { AuditWriter, type AuditWriterOptions } from './audit/writer';
export { verifyAuditDatabase, type DatabaseVerdict } from './audit/verify';
