import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Seed 2's `cases` collection: one "affaire" / intention of a lead (keyed by e-mail). */
@Entity({ name: 'cases' })
export class CaseEntity {
  /** UUID or a deterministic hash (seed 2), hence text rather than uuid. */
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 200 })
  id!: string;

  /** The lead's e-mail, lower case (seed 2: `leads/{email}`). */
  @Column({ name: 'lead_id', type: 'varchar', length: 254 })
  leadEmail!: string;

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
