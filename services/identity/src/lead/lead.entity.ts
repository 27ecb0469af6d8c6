import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Seed 2 collection `leads` (master identity), keyed by the lower-case e-mail. */
@Entity({ name: 'leads' })
export class LeadEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  email!: string;

  /** E.164 */
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  /** normalized full name */
  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  /** first origin (e.g. "AUDIT_IA") */
  @Column({ type: 'varchar', length: 100 })
  source!: string;

  /** first interaction */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** latest interaction */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** when the current phone was given (last writer wins, see lead.rules.ts) */
  @Column({ name: 'phone_updated_at', type: 'timestamptz', nullable: true })
  phoneAt!: Date | null;

  /** when the current name was given */
  @Column({ name: 'name_updated_at', type: 'timestamptz', nullable: true })
  nameAt!: Date | null;
}
