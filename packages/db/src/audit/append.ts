// Appending to a database's audit log: one chain per database, serialized by a transaction-level
// advisory lock, in the caller's transaction when there is one (a change and its record commit
// together), else in a transaction of its own.
import type { EntityManager, QueryRunner } from 'typeorm';
import { lockKey } from '../locks';
import { auditHash, GENESIS_HASH, valueDigest, type AuditRow, type FieldChange } from './chain';

/** pg_advisory_xact_lock key of the audit chain (one per database) */
export const AUDIT_CHAIN_LOCK = 'crm.audit_log';

export interface AuditRecord {
  at: Date;
  principal: string;
  roles: readonly string[];
  operation: string;
  operationName?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  outcome: string;
  /** field -> old and new values: only digests of the values are stored (docs/security.md) */
  changes?: Record<string, { old: unknown; new: unknown }> | null;
  /**
   * field -> old and new values the service has already encrypted under the person's data key
   * (@crm/privacy): stored as given, instead of `changes`' digests
   */
  sealedChanges?: Record<string, FieldChange> | null;
  correlationId: string;
}

/** Where to append: a transaction's entity manager or query runner (or any, see appendAudit). */
export type AuditTarget = EntityManager | QueryRunner;

const cut = (value: string | null | undefined, max: number): string | null =>
  value === null || value === undefined ? null : value.slice(0, max);

function digests(changes: AuditRecord['changes']): Record<string, FieldChange> | null {
  if (!changes) return null;
  return Object.fromEntries(
    Object.entries(changes).map(([field, c]) => [
      field,
      { old: valueDigest(c.old), new: valueDigest(c.new) },
    ]),
  );
}

function inTransaction(target: AuditTarget): boolean {
  const runner = 'manager' in target && 'isTransactionActive' in target ? target : target.queryRunner;
  return runner?.isTransactionActive ?? false;
}

/**
 * Appends records, in order, to the chain. Inside the caller's transaction when `target` is in
 * one (the lock is then held until that transaction ends: keep it short); otherwise in its own.
 */
export async function appendAudit(target: AuditTarget, ...records: AuditRecord[]): Promise<AuditRow[]> {
  if (!records.length) return [];
  if (inTransaction(target)) return appendLocked(target, records);
  const manager = 'manager' in target && 'isTransactionActive' in target ? target.manager : target;
  return manager.transaction((tx) => appendLocked(tx, records));
}

async function appendLocked(target: AuditTarget, records: AuditRecord[]): Promise<AuditRow[]> {
  await lockKey(target, AUDIT_CHAIN_LOCK);
  const last = (await target.query('select seq, hash from audit_log order by seq desc limit 1')) as {
    seq: string;
    hash: string;
  }[];
  let seq = last[0] ? Number(last[0].seq) : 0;
  let prevHash = last[0]?.hash ?? GENESIS_HASH;
  const rows: AuditRow[] = [];
  for (const record of records) {
    const fields: Omit<AuditRow, 'seq' | 'hash'> = {
      // a Date has milliseconds, which timestamptz keeps exactly: the hash holds after a read back
      at: new Date(record.at.getTime()),
      principal: record.principal.slice(0, 200),
      roles: [...record.roles],
      operation: record.operation.slice(0, 200),
      operationName: cut(record.operationName, 64),
      entityType: cut(record.entityType, 100),
      entityId: cut(record.entityId, 200),
      outcome: record.outcome.slice(0, 100),
      changes: record.sealedChanges ?? digests(record.changes),
      correlationId: record.correlationId.slice(0, 200),
      prevHash,
    };
    const row: AuditRow = { ...fields, seq: seq + 1, hash: auditHash(fields) };
    await target.query(
      `insert into audit_log (seq, at, principal, roles, operation, operation_name, entity_type,
         entity_id, outcome, changes, correlation_id, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        row.seq,
        row.at.toISOString(),
        row.principal,
        row.roles,
        row.operation,
        row.operationName,
        row.entityType,
        row.entityId,
        row.outcome,
        row.changes === null ? null : JSON.stringify(row.changes),
        row.correlationId,
        row.prevHash,
        row.hash,
      ],
    );
    rows.push(row);
    seq = row.seq;
    prevHash = row.hash;
  }
  return rows;
}

interface AuditColumns {
  seq: string;
  at: Date;
  principal: string;
  roles: string[];
  operation: string;
  operation_name: string | null;
  entity_type: string | null;
  entity_id: string | null;
  outcome: string;
  changes: Record<string, FieldChange> | null;
  correlation_id: string;
  prev_hash: string;
  hash: string;
}

export const AUDIT_COLUMNS = `seq, at, principal, roles, operation, operation_name, entity_type,
  entity_id, outcome, changes, correlation_id, prev_hash, hash`;

/** A row of `select ${AUDIT_COLUMNS} from audit_log` as the chain functions take it. */
export function auditRowOf(c: AuditColumns): AuditRow {
  return {
    seq: Number(c.seq),
    at: c.at,
    principal: c.principal,
    roles: c.roles,
    operation: c.operation,
    operationName: c.operation_name,
    entityType: c.entity_type,
    entityId: c.entity_id,
    outcome: c.outcome,
    changes: c.changes,
    correlationId: c.correlation_id,
    prevHash: c.prev_hash,
    hash: c.hash,
  };
}

/** The whole chain of a database, in seq order (audit:verify; a few rows per change, read in one go). */
export async function readAuditChain(target: {
  query<T>(sql: string, params?: unknown[]): Promise<T>;
}): Promise<AuditRow[]> {
  const rows = await target.query<AuditColumns[]>(`select ${AUDIT_COLUMNS} from audit_log order by seq`);
  return rows.map(auditRowOf);
}

/**
 * The newest `max` records of each entity (`entityType`, one of `entityIds`), newest first, in
 * one statement whatever the number of entities (a supervisor's view of a trail).
 */
export async function readAuditTrails(
  target: AuditTarget,
  entityType: string,
  entityIds: readonly string[],
  max: number,
): Promise<AuditRow[]> {
  if (!entityIds.length) return [];
  const rows = (await target.query(
    `select ${AUDIT_COLUMNS} from (
       select a.*, row_number() over (partition by a.entity_id order by a.seq desc) as rn
       from audit_log a where a.entity_type = $1 and a.entity_id = any($2::text[])) w
     where w.rn <= $3 order by w.entity_id, w.seq desc`,
    [entityType, entityIds, max],
  )) as AuditColumns[];
  return rows.map(auditRowOf);
}
