// What a request's service methods tell the audit record of their mutation (docs/security.md,
// Audit log): the fields they changed on an entity, with the old and new values already
// encrypted under the person's data key (@crm/privacy), so that the audit log holds them as
// the service's own tables do and an erasure makes them unreadable with the rest. The audit
// plugin attaches them to the record of the root field that names the same entity.
import type { AuditRow, FieldChange } from '@crm/db';
import { SubjectErasedError, type PersonalDataVault, type Sql } from '@crm/privacy';
import type { EntityManager } from 'typeorm';
import { isUuid } from './ids';

/** One changed field as the graph shows it (type AuditFieldChange). */
export interface AuditFieldChangeView {
  field: string;
  /** the values, decrypted; null when the field had none, or when they cannot be read */
  old: string | null;
  new: string | null;
  /** the values were sealed under a person's key that has been shredded (the person was erased) */
  erased: boolean;
}

// a UUID in any case is one entity: the record names it as the caller spelled it (`input.id`),
// the service as it stored it
const noteKey = (entityId: string): string => (isUuid(entityId) ? entityId.toLowerCase() : entityId);

export class AuditNotes {
  private readonly sealed = new Map<string, Record<string, FieldChange>>();

  /** Changes of one entity, sealed by the service; a later change of a field keeps the first old value. */
  changed(entityId: string, changes: Record<string, FieldChange>): void {
    const key = noteKey(entityId);
    const known = this.sealed.get(key);
    if (!known) {
      this.sealed.set(key, { ...changes });
      return;
    }
    for (const [field, change] of Object.entries(changes))
      known[field] = { old: field in known ? known[field]!.old : change.old, new: change.new };
  }

  /** The one entity noted, when exactly one was (a mutation whose answer names none: a bot turn). */
  soleEntity(): string | null {
    return this.sealed.size === 1 ? [...this.sealed.keys()][0]! : null;
  }

  /** What was noted for this entity, if anything. */
  changesOf(entityId: string | null | undefined): Record<string, FieldChange> | null {
    return (entityId && this.sealed.get(noteKey(entityId))) || null;
  }
}

/** What an audited command's transaction returns to `audited`. */
export interface AuditedOutcome<T> {
  /** what the command answers */
  result: T;
  /** the entity its audit record names (the saved record's id) */
  entityId: string;
  /**
   * What the audit record keeps of the change, sealed on the transaction's connection (the
   * person's key as the transaction sees it); absent when the command changed nothing. Called
   * only when the request is audited.
   */
  seal?: () => Promise<Record<string, FieldChange> | null>;
}

/** What opens a command's transaction: the service's DataSource, or the caller's transaction already open. */
export interface TransactionRunner {
  transaction<R>(work: (tx: EntityManager) => Promise<R>): Promise<R>;
}

/**
 * One audited command (docs/security.md, Audit log), the shape every service's mutations share:
 * `work` runs in the transaction `runner` opens and says what it saved; the change is sealed
 * inside that transaction, and noted for the request's audit record only once it has committed
 * (a command rolled back notes nothing).
 *
 *   return audited(audit, this.runtime.dataSource, async (tx) => {
 *     ...
 *     return { result: saved, entityId: saved.id, seal: () => this.auditChanges(before, saved, tx) };
 *   });
 */
export async function audited<T>(
  audit: AuditNotes | undefined,
  runner: TransactionRunner,
  work: (tx: EntityManager) => Promise<AuditedOutcome<T>>,
): Promise<T> {
  const done = await runner.transaction(async (tx) => {
    const outcome = await work(tx);
    return { ...outcome, changes: audit && outcome.seal ? await outcome.seal() : null };
  });
  if (done.changes) audit?.changed(done.entityId, done.changes);
  return done.result;
}

/** The additional data of one audited value's ciphertext: `audit.<entity>.<field>`. */
export const auditFieldName = (entity: string, field: string): string => `audit.${entity}.${field}`;

// a string as it is, anything else as JSON (a date: its quoted ISO form), as identity always did
const auditText = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** The fields whose value differs between `before` and `after` (compared as the audit stores them). */
export function changedFields<T extends object>(
  before: T,
  after: T,
  fields: readonly Extract<keyof T, string>[],
): Extract<keyof T, string>[] {
  return fields.filter((f) => auditText(before[f]) !== auditText(after[f]));
}

/**
 * Each field's old and new value sealed under `subject`'s data key (field `audit.<entity>.<f>`;
 * none stays null): what a service notes for the audit record of its mutation. Inside a
 * transaction, give it (`tx`): the key is read on its connection.
 */
export async function sealFieldChanges<T extends object>(
  vault: PersonalDataVault,
  subject: string,
  entity: string,
  before: Partial<T>,
  after: Partial<T>,
  fields: readonly Extract<keyof T, string>[],
  tx?: Sql,
): Promise<Record<string, FieldChange>> {
  const writer = await vault.writer(subject, tx);
  const seal = (field: string, value: unknown) =>
    writer.seal(auditFieldName(entity, field), auditText(value));
  return Object.fromEntries(
    fields.map((field) => [field, { old: seal(field, before[field]), new: seal(field, after[field]) }]),
  );
}

/**
 * sealFieldChanges for a subject that may have been erased since (a claim of an erased client, an
 * entry of an erased lead): null then, and the audit record keeps which entity, not the words.
 */
export async function sealFieldChangesIfLive<T extends object>(
  ...args: Parameters<typeof sealFieldChanges<T>>
): Promise<Record<string, FieldChange> | null> {
  try {
    return await sealFieldChanges(...args);
  } catch (err) {
    if (err instanceof SubjectErasedError) return null;
    throw err;
  }
}

/**
 * What a mutation tells its audit record about one entity: those of `fields` whose value differs
 * between `before` (empty for a creation) and `after`, sealed under `subject`'s key
 * (sealFieldChangesIfLive); null when none changed, or when the subject was erased.
 */
export function sealChangedFields<T extends object>(
  vault: PersonalDataVault,
  subject: string,
  entity: string,
  before: Partial<T>,
  after: T,
  fields: readonly Extract<keyof T, string>[],
  tx?: Sql,
): Promise<Record<string, FieldChange> | null> {
  const changed = changedFields(before as T, after, fields);
  if (changed.length === 0) return Promise.resolve(null);
  return sealFieldChangesIfLive(vault, subject, entity, before, after, changed, tx);
}

/**
 * Opens the sealed changes of audit records whose entity is the subject (`audit.<entity>.<f>`):
 * one key query for the batch; values under a shredded key read as erased.
 */
export async function revealFieldChanges(
  vault: PersonalDataVault,
  entity: string,
  records: readonly AuditRow[],
): Promise<Map<number, AuditFieldChangeView[]>> {
  const sealed = records.filter((r) => r.changes && r.entityId && isUuid(r.entityId));
  const out = new Map<number, AuditFieldChangeView[]>();
  if (sealed.length === 0) return out;
  const reader = await vault.reader(sealed.map((r) => r.entityId!.toLowerCase()));
  for (const record of sealed) {
    const subject = record.entityId!.toLowerCase();
    out.set(
      record.seq,
      Object.entries(record.changes!)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([field, change]) => {
          const open = (text: string | null) =>
            text === null
              ? { erased: false as const, value: null }
              : reader.decrypt(subject, auditFieldName(entity, field), text);
          const [old, next] = [open(change.old), open(change.new)];
          if (old.erased || next.erased) return { field, old: null, new: null, erased: true };
          return { field, old: old.value, new: next.value, erased: false };
        }),
    );
  }
  return out;
}
