import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LeadState } from './lead.rules';

/**
 * Seed 2 collection `leads` (master identity) as stored: the personal values are ciphertexts
 * under the lead's own data key (docs/privacy.md), the row is found by the keyed blind index of
 * its lower-case e-mail, which stays the lead's identity everywhere else (events, the graph).
 * Only lead.repository.ts reads or writes it.
 */
@Entity({ name: 'leads' })
export class LeadRecord {
  /** the lead's data key's subject: a random id that says nothing about the person */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** blind index of the lower-case e-mail (unique: one lead per e-mail) */
  @Column({ name: 'email_bidx', type: 'varchar', length: 64 })
  emailIndex!: string;

  /** ciphertexts (`pd1:`), the e-mail never null */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
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

/** A lead as the service and the graph see it: decrypted, keyed by the lower-case e-mail. */
export type LeadEntity = LeadState;
