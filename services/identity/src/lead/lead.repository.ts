// Every query of the leads table: reads on the manager it is built with, writes and locks on a
// tx. The one place where lead rows are encrypted and decrypted (@crm/privacy): e-mail, phone
// and name are ciphertexts under the lead's own data key (subject: the row's random id), the
// row is found by the blind index of its e-mail, and erasure shreds the key (docs/privacy.md).
import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import type { PersonalDataVault } from '@crm/privacy';
import { LeadRecord, type LeadEntity } from './lead.entity';
import type { LeadState } from './lead.rules';

/** The field name bound to each ciphertext (additional data) and to the e-mail's blind index. */
export const leadField = (column: 'email' | 'phone' | 'name'): string => `leads.${column}`;
const EMAIL_INDEX = leadField('email');

/** A stored lead, decrypted, with the id its key belongs to. */
export interface StoredLead {
  id: string;
  lead: LeadEntity;
}

/** An erased lead: the subject of its shredded key and the cases it had. */
export interface ErasedLead {
  id: string;
  caseIds: string[];
}

export class LeadRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly vault: PersonalDataVault,
  ) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(LeadRecord);
  }

  private emailIndex(email: string): Promise<string> {
    return this.vault.blindIndex(EMAIL_INDEX, email);
  }

  /**
   * Decrypts rows (one key query for the batch). A lead whose key is gone was erased between
   * the read and now: it reads as absent.
   */
  private async reveal(records: LeadRecord[], tx?: EntityManager): Promise<StoredLead[]> {
    if (records.length === 0) return [];
    const reader = await this.vault.reader(
      records.map((r) => r.id),
      tx,
    );
    const stored: StoredLead[] = [];
    for (const r of records) {
      const email = reader.decrypt(r.id, leadField('email'), r.email);
      if (email.erased) continue;
      const open = (column: 'phone' | 'name', text: string | null): string | null => {
        if (text === null) return null;
        const revealed = reader.decrypt(r.id, leadField(column), text);
        return revealed.erased ? null : revealed.value;
      };
      stored.push({
        id: r.id,
        lead: {
          email: email.value,
          phone: open('phone', r.phone),
          name: open('name', r.name),
          source: r.source,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
          phoneAt: r.phoneAt,
          nameAt: r.nameAt,
        },
      });
    }
    return stored;
  }

  /** The stored form of a lead under the key of `id`. */
  private async sealed(id: string, lead: LeadState, tx: EntityManager): Promise<Omit<LeadRecord, 'id'>> {
    const writer = await this.vault.writer(id, tx);
    return {
      emailIndex: await this.emailIndex(lead.email),
      email: writer.encrypt(leadField('email'), lead.email),
      phone: lead.phone === null ? null : writer.encrypt(leadField('phone'), lead.phone),
      name: lead.name === null ? null : writer.encrypt(leadField('name'), lead.name),
      source: lead.source,
      createdAt: lead.createdAt,
      updatedAt: lead.updatedAt,
      phoneAt: lead.phoneAt,
      nameAt: lead.nameAt,
    };
  }

  /** `emails` normalized (lower case): the leads that have them, by their blind indexes. */
  async findByEmails(emails: readonly string[]): Promise<LeadEntity[]> {
    if (emails.length === 0) return [];
    const indexes = await Promise.all(emails.map((e) => this.emailIndex(e)));
    const found = await this.reveal(await this.repo().findBy({ emailIndex: In(indexes) }));
    return found.map((f) => f.lead);
  }

  /**
   * Inserts the lead unless one with its e-mail exists: its new id, or null. Concurrent first
   * touches of one e-mail insert it once (the blind index is unique); the loser's key, made for
   * an id that never became a row, encrypts nothing.
   */
  async insertIfAbsent(tx: EntityManager, lead: LeadState): Promise<string | null> {
    const id = randomUUID();
    const row = await this.sealed(id, lead, tx);
    const inserted: unknown[] = await tx.query(
      `insert into leads (id, email_bidx, email, phone, name, source, created_at, updated_at, phone_updated_at, name_updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (email_bidx) do nothing
       returning id`,
      [
        id,
        row.emailIndex,
        row.email,
        row.phone,
        row.name,
        row.source,
        row.createdAt,
        row.updatedAt,
        row.phoneAt,
        row.nameAt,
      ],
    );
    return inserted.length === 1 ? id : null;
  }

  /** The lead of that e-mail, its row locked for the rest of the transaction. */
  async findForUpdate(tx: EntityManager, email: string): Promise<StoredLead | null> {
    const record = await this.repo(tx)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.email_bidx = :index', { index: await this.emailIndex(email) })
      .getOne();
    return record ? ((await this.reveal([record], tx))[0] ?? null) : null;
  }

  /** Writes the lead's new state under its key (the row found by findForUpdate). */
  async update(tx: EntityManager, id: string, lead: LeadState): Promise<void> {
    await this.repo(tx).update({ id }, await this.sealed(id, lead, tx));
  }

  /**
   * Links the lead to one of its partner cases (claims' case id, from CaseEventRecorded);
   * linking it again changes nothing. Ids only: a case id is no personal data.
   */
  async linkCase(tx: EntityManager, leadId: string, caseId: string): Promise<void> {
    await tx.query(
      `insert into lead_cases (lead_id, case_id) values ($1, $2) on conflict (lead_id, case_id) do nothing`,
      [leadId, caseId],
    );
  }

  /** The lead's case ids, in the order of the ids (stable across calls). */
  async caseIds(leadId: string, tx?: EntityManager): Promise<string[]> {
    const rows: { case_id: string }[] = await (tx ?? this.manager).query(
      `select case_id from lead_cases where lead_id = $1 order by case_id`,
      [leadId],
    );
    return rows.map((r) => r.case_id);
  }

  /**
   * Erasure: the lead of that e-mail is deleted and its key shredded in the same transaction
   * (copies of its ciphertexts, in backups, stay unreadable), its case links with it. Returns
   * the shredded subject, for the caller to forget once the transaction committed, and the
   * lead's case ids as they were, for its erasure events.
   */
  async erase(tx: EntityManager, email: string): Promise<ErasedLead | null> {
    // the row locked first: a case event being recorded for the lead (which holds this lock from
    // its upsert to its commit) is either read below or waits and then finds no lead
    const locked: { id: string }[] = await tx.query(`select id from leads where email_bidx = $1 for update`, [
      await this.emailIndex(email),
    ]);
    const id = locked[0]?.id;
    if (id === undefined) return null;
    const caseIds = await this.caseIds(id, tx);
    // lead_cases rows go with it (on delete cascade)
    await tx.query(`delete from leads where id = $1`, [id]);
    await this.vault.shred(id, tx);
    return { id, caseIds };
  }

  /** A lead's erasure on record (lead_erasures): ids, date and counts, for its progress. */
  async recordErasure(tx: EntityManager, id: string, at: Date, events: number, cases: number): Promise<void> {
    await tx.query(
      `insert into lead_erasures (lead_record_id, erased_at, events, cases) values ($1, $2, $3, $4)
       on conflict (lead_record_id) do nothing`,
      [id, at, events, cases],
    );
  }
}
