import { In, type EntityManager } from 'typeorm';
import { LeadEntity } from './lead.entity';
import type { LeadState } from './lead.rules';

export class LeadRepository {
  findByEmails(manager: EntityManager, emails: readonly string[]): Promise<LeadEntity[]> {
    if (emails.length === 0) return Promise.resolve([]);
    return manager.getRepository(LeadEntity).findBy({ email: In([...emails]) });
  }

  /** true when the lead was new; concurrent first touches of one e-mail insert it once */
  async insertIfAbsent(manager: EntityManager, lead: LeadState): Promise<boolean> {
    const rows: unknown[] = await manager.query(
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

  findForUpdate(manager: EntityManager, email: string): Promise<LeadEntity | null> {
    return manager
      .getRepository(LeadEntity)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.email = :email', { email })
      .getOne();
  }

  async update(manager: EntityManager, lead: LeadState): Promise<void> {
    const { email, ...fields } = lead;
    await manager.getRepository(LeadEntity).update({ email }, fields);
  }

  async deleteByEmail(manager: EntityManager, email: string): Promise<number> {
    const result = await manager.getRepository(LeadEntity).delete({ email });
    return result.affected ?? 0;
  }
}
