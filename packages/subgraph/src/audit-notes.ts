// What a request's service methods tell the audit record of their mutation (docs/security.md,
// Audit log): the fields they changed on an entity, with the old and new values already
// encrypted under the person's data key (@crm/privacy), so that the audit log holds them as
// the service's own tables do and an erasure makes them unreadable with the rest. The audit
// plugin attaches them to the record of the root field that names the same entity.
import type { FieldChange } from '@crm/db';

export class AuditNotes {
  private readonly sealed = new Map<string, Record<string, FieldChange>>();

  /** Changes of one entity, sealed by the service; a later change of a field keeps the first old value. */
  changed(entityId: string, changes: Record<string, FieldChange>): void {
    const known = this.sealed.get(entityId);
    if (!known) {
      this.sealed.set(entityId, { ...changes });
      return;
    }
    for (const [field, change] of Object.entries(changes))
      known[field] = { old: field in known ? known[field]!.old : change.old, new: change.new };
  }

  /** What was noted for this entity, if anything. */
  changesOf(entityId: string | null | undefined): Record<string, FieldChange> | null {
    return (entityId && this.sealed.get(entityId)) || null;
  }
}
