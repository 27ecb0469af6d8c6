// Every query of the leads table: reads on the manager it is built with, writes and locks on a tx.
import { In, type EntityManager } from 'typeorm';
import { LeadEntity } from './lead.entity';
import type { LeadState } from './lead.rules';

export class LeadRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(LeadEntity);
  }

  findByEmails(emails: readonly string[]): Promise<LeadEntity[]> {
    if (emails.length === 0) return Promise.resolve([]);
    return this.repo().findBy({ email: In([...emails]) });
  }

  /** true when the lead was new; concurrent first touches of one e-mail insert it once */
  async insertIfAbsent(tx: EntityManager, lead: LeadState): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `insert into leads (email, phone, name, source, created_at, updated_at, phone_updated_at, name_updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (email) do nothing
       returning email`,
      [
        lead.email,
        lead.phone,
        lead.name,
        lead.source,
        lead.createdAt,
        lead.updatedAt,
        lead.phoneAt,
        lead.nameAt,
      ],
    );
    return rows.length === 1;
  }

  findForUpdate(tx: EntityManager, email: string): Promise<LeadEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.email = :email', { email })
      .getOne();
  }

  async update(tx: EntityManager, lead: LeadState): Promise<void> {
    const { email, ...fields } = lead;
    await this.repo(tx).update({ email }, fields);
  }

  async deleteByEmail(tx: EntityManager, email: string): Promise<number> {
    const result = await this.repo(tx).delete({ email });
    return result.affected ?? 0;
  }
}
