// The audit log's hash chain (docs/security.md, Audit log): each record's hash is SHA-256 over a
// canonical serialization of its fields and the previous record's hash, so a record edited,
// removed or moved in place breaks the chain where it happened. Pure: the append (append.ts)
// and the check (verifyAuditChain, npm run audit:verify) share these functions.
import { createHash } from 'node:crypto';

/** The first record's prev_hash: there is no record before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a changed field keeps: digests of its values, never the values (personal data). */
export interface FieldChange {
  old: string | null;
  new: string | null;
}

/** One audit record as stored (the columns of audit_log). */
export interface AuditRow {
  seq: number;
  at: Date;
  /** the principal's subject (an advisor's id, a service's name...) */
  principal: string;
  roles: string[];
  /** what was done: `Mutation.openClaim`, `Query.claim` */
  operation: string;
  /** the operation's name as the client gave it (when well-formed) */
  operationName: string | null;
  entityType: string | null;
  entityId: string | null;
  /** `ok` or the error code the caller got */
  outcome: string;
  /**
   * field -> the old and new values, as digests or as ciphertexts under the person's data key
   * (a service that encrypts personal data seals them: AuditRecord.sealedChanges)
   */
  changes: Record<string, FieldChange> | null;
  correlationId: string;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth (jsonb does not keep the order it was given). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A record's hash: its fields and prev_hash; not seq, whose order the prev_hash link already
 * binds (so a moved record is told from an edited one).
 */
export function auditHash(row: Omit<AuditRow, 'seq' | 'hash'>): string {
  return sha256(
    canonicalJson({
      at: row.at.toISOString(),
      principal: row.principal,
      roles: row.roles,
      operation: row.operation,
      operationName: row.operationName,
      entityType: row.entityType,
      entityId: row.entityId,
      outcome: row.outcome,
      changes: row.changes,
      correlationId: row.correlationId,
      prevHash: row.prevHash,
    }),
  );
}

/** The digest an old or new value is kept as (null stays null: "had no value" is not personal). */
export function valueDigest(value: unknown): string | null {
  return value === null || value === undefined ? null : sha256(canonicalJson(value));
}

export type AuditBreak = 'edited' | 'removed' | 'reordered';

export type AuditVerdict =
  | { ok: true; records: number; lastSeq: number; lastHash: string }
  | { ok: false; records: number; seq: number; problem: AuditBreak; reason: string };

/**
 * Checks a chain, rows in seq order (all of them, from seq 1). The first problem is returned,
 * naming its record by seq:
 * - edited: the record's hash is not that of its fields (a field, its prev_hash or its hash changed);
 * - removed: seq jumps (the first missing seq is named), or a record's prev_hash is the hash of
 *   no record present (its predecessor was removed and the rest renumbered, or rewritten with a
 *   recomputed hash);
 * - reordered: a record's prev_hash is the hash of a record present elsewhere in the chain.
 * Removing the newest records leaves a valid shorter chain: compare lastSeq/lastHash with a
 * value kept elsewhere for that (docs/security.md).
 */
export function verifyAuditChain(rows: readonly AuditRow[]): AuditVerdict {
  const fail = (seq: number, problem: AuditBreak, reason: string): AuditVerdict => ({
    ok: false,
    records: rows.length,
    seq,
    problem,
    reason,
  });
  const bySeqOfHash = new Map(rows.map((r) => [r.hash, r.seq]));
  let prev: AuditRow | undefined;
  for (const row of rows) {
    if (auditHash(row) !== row.hash)
      return fail(row.seq, 'edited', `record ${row.seq} does not match its hash: it was changed`);
    const expectedSeq = prev ? prev.seq + 1 : 1;
    if (row.seq !== expectedSeq)
      return fail(
        expectedSeq,
        'removed',
        row.seq > expectedSeq
          ? `record ${expectedSeq} is missing (${prev ? `${prev.seq} is followed by ${row.seq}` : `the log starts at ${row.seq}`})`
          : `record ${row.seq} comes after ${prev?.seq ?? 'nothing'}: the rows are not in seq order`,
      );
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (row.prevHash !== expectedPrev) {
      const linked = bySeqOfHash.get(row.prevHash);
      if (linked !== undefined)
        return fail(
          row.seq,
          'reordered',
          `record ${row.seq} was written after record ${linked}, not after ${prev ? prev.seq : 'the start'}: records were moved`,
        );
      return fail(
        row.seq,
        'removed',
        `record ${row.seq} follows a record that is no longer in the log (removed, or rewritten with a new hash)`,
      );
    }
    prev = row;
  }
  return prev
    ? { ok: true, records: rows.length, lastSeq: prev.seq, lastHash: prev.hash }
    : { ok: true, records: 0, lastSeq: 0, lastHash: GENESIS_HASH };
}
