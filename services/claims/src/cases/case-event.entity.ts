import type { IdentityNote } from '@crm/events';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Seed 2's `cases/{case_id}/events`: the immutable, idempotent journal of a case. */
@Entity({ name: 'case_events' })
export class CaseEventEntity {
  /** sha256(source + source_id) in hex (seed 2): a replayed partner event is the same row. */
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 200 })
  id!: string;

  @Column({ name: 'case_id', type: 'varchar', length: 200 })
  caseId!: string;

  @Column({ name: 'type', type: 'varchar', length: 50 })
  type!: string;

  @Column({ name: 'timestamp', type: 'timestamp' })
  timestamp!: Date;

  @Column({ name: 'source', type: 'varchar', length: 100 })
  source!: string;

  @Column({ name: 'source_id', type: 'varchar', length: 200 })
  sourceId!: string;

  // payload, summary and notes are stored sealed under the case's key (a JSON string holding the
  // ciphertext, CaseCipher), read opened: none once the case's lead was erased

  @Column({ name: 'payload', type: 'jsonb' })
  payload!: Record<string, unknown> | null;

  @Column({ name: 'summary', type: 'jsonb', nullable: true })
  summary!: Record<string, unknown> | null;

  /** what the CRM could not read in the partner's identity and left out (issue 12) */
  @Column({ name: 'notes', type: 'jsonb', default: () => "'[]'" })
  notes!: IdentityNote[];
}
