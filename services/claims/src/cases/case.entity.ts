import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Seed 2's `cases` collection: one "affaire" / intention of a lead (keyed by e-mail). */
@Entity({ name: 'cases' })
export class CaseEntity {
  /** UUID or a deterministic hash (seed 2), hence text rather than uuid. */
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 200 })
  id!: string;

  /**
   * The lead's e-mail, lower case (seed 2: `leads/{email}`), or a claim's client id; stored sealed
   * under the case's key (CaseCipher), read opened: null once the lead was erased.
   */
  @Column({ name: 'lead_id', type: 'text' })
  leadEmail!: string | null;

  /** The lead's keyed blind index (CaseCipher.leadIndex): how a lead's cases are found. */
  @Column({ name: 'lead_bidx', type: 'varchar', length: 64 })
  leadIndex!: string;

  /** When the case's lead was erased (its key shredded): a new event of his opens a new case. */
  @Column({ name: 'erased_at', type: 'timestamp', nullable: true })
  erasedAt!: Date | null;

  @Column({ name: 'intent', type: 'varchar', length: 100 })
  intent!: string;

  @Column({ name: 'status', type: 'varchar', length: 50 })
  status!: string;

  @Column({ name: 'owner_uid', type: 'varchar', length: 200, nullable: true })
  ownerUid!: string | null;

  /** Addition (issue 15): when owner_uid's advisor was assigned (AdvisorAssigned). */
  @Column({ name: 'owner_assigned_at', type: 'timestamp', nullable: true })
  ownerAssignedAt!: Date | null;

  @Column({ name: 'site_id', type: 'varchar', length: 200, nullable: true })
  siteId!: string | null;

  @Column({ name: 'confidence_score', type: 'smallint', nullable: true })
  confidenceScore!: number | null;

  @Column({ name: 'last_event_at', type: 'timestamp', nullable: true })
  lastEventAt!: Date | null;

  @Column({ name: 'next_action_at', type: 'timestamp', nullable: true })
  nextActionAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamp', default: () => 'now()' })
  createdAt!: Date;
}
