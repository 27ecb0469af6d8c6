// Appending to a database's audit log: one chain per database, serialized by a transaction-level
// advisory lock, in the caller's transaction when there is one (a change and its record commit
// together), else in a transaction of its own.
import type { EntityManager, QueryRunner } from 'typeorm';
import { literalOf, simpleQuery } from '../simple-query';
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

// NUL and halves of a surrogate pair cannot be stored as text (PostgreSQL refuses the first, UTF-8
// has no form for the second): a record holding one, say an id a caller sent, would fail its
// whole group, or be stored as another string than the one hashed and break the chain.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The value as stored: unstorable characters replaced (U+FFFD), at most `max`, no pair split. */
export function storable(value: string, max = Infinity): string {
  let clean = value.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
  if (clean.length > max) clean = clean.slice(0, /[\uD800-\uDBFF]/.test(clean[max - 1]!) ? max - 1 : max);
  return clean;
}

const cut = (value: string | null | undefined, max: number): string | null =>
  value === null || value === undefined ? null : storable(value, max);

function digests(changes: AuditRecord['changes']): Record<string, FieldChange> | null {
  if (!changes) return null;
  return Object.fromEntries(
    Object.entries(changes).map(([field, c]) => [
      field,
      { old: valueDigest(c.old), new: valueDigest(c.new) },
    ]),
  );
}

/** The query runner behind a target (an entity manager outside a transaction has none). */
function runnerOf(target: AuditTarget): QueryRunner | undefined {
  return 'manager' in target && 'isTransactionActive' in target ? target : target.queryRunner;
}

/**
 * Appends records, in order, to the chain. Inside the caller's transaction when `target` is in
 * one (the lock is then held until that transaction ends: keep it short); otherwise in its own.
 *
 * Two round trips, whatever the number of records: the lock and the chain's head in one (in its
 * own transaction, with the begin), the rows and, in its own transaction, the commit in the
 * other. The group commit (AuditWriter) calls this once per group, after every audited request
 * of every service: it took 4 + one per record (begin, lock, head, each insert, commit).
 */
export async function appendAudit(target: AuditTarget, ...records: AuditRecord[]): Promise<AuditRow[]> {
  if (!records.length) return [];
  const runner = runnerOf(target);
  if (runner?.isTransactionActive) return appendLocked(runner, records, false);
  // the transaction is driven by hand, so that its statements share round trips
  const own = target.connection.createQueryRunner();
  try {
    return await appendLocked(own, records, true);
  } catch (err) {
    await simpleQuery(own, 'rollback').catch(() => undefined);
    throw err;
  } finally {
    await own.release();
  }
}

async function appendLocked(runner: QueryRunner, records: AuditRecord[], own: boolean): Promise<AuditRow[]> {
  const text = await literalOf(runner);
  // Each statement of a simple-protocol message takes its own snapshot (read committed): the
  // head is read after the lock is granted, so it is the head the last holder committed.
  // (the head's seq as text, a bigint: named apart from the column, so that the order is numeric)
  const [last] = await simpleQuery<{ head: string; hash: string }>(
    runner,
    `${own ? 'begin; ' : ''}select pg_advisory_xact_lock(hashtextextended(${text(AUDIT_CHAIN_LOCK)}, 0));
     select seq::text as head, hash from audit_log order by seq desc limit 1`,
  );
  let seq = last ? Number(last.head) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows: AuditRow[] = [];
  for (const record of records) {
    const fields: Omit<AuditRow, 'seq' | 'hash'> = {
      // a Date has milliseconds, which timestamptz keeps exactly: the hash holds after a read back
      at: new Date(record.at.getTime()),
      principal: storable(record.principal, 200),
      roles: record.roles.map((role) => storable(role)),
      operation: storable(record.operation, 200),
      operationName: cut(record.operationName, 64),
      entityType: cut(record.entityType, 100),
      entityId: cut(record.entityId, 200),
      outcome: storable(record.outcome, 100),
      changes: record.sealedChanges ?? digests(record.changes),
      correlationId: storable(record.correlationId, 200),
      prevHash,
    };
    const row: AuditRow = { ...fields, seq: seq + 1, hash: auditHash(fields) };
    rows.push(row);
    seq = row.seq;
    prevHash = row.hash;
  }
  // The values travel as literals so that the insert and the commit share a message: text
  // through the driver's escapeLiteral, numbers as the integers they are.
  const values = rows.map(
    (row) => `(${row.seq}, ${text(row.at.toISOString())}::timestamptz, ${text(row.principal)},
      array[${row.roles.map(text).join(', ')}]::text[], ${text(row.operation)}, ${text(row.operationName)},
      ${text(row.entityType)}, ${text(row.entityId)}, ${text(row.outcome)},
      ${text(row.changes === null ? null : JSON.stringify(row.changes))}::jsonb, ${text(row.correlationId)},
      ${text(row.prevHash)}, ${text(row.hash)})`,
  );
  await simpleQuery(
    runner,
    `insert into audit_log (${AUDIT_COLUMNS}) values ${values.join(',\n')}${own ? '; commit' : ''}`,
  );
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
