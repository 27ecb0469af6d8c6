import { In, type EntityManager } from 'typeorm';
import { AssignmentEntity, EscalationEntity } from './escalation.entity';
import { escalationError } from '../errors';

/** pg_advisory_xact_lock key of automatic assignment (any constant unique to this database) */
const AUTO_ASSIGNMENT_LOCK = 4_005_001;

export interface QueueCursor {
  priority: number;
  queuedAt: Date;
  id: string;
}

type InsertedRow = { id: string };

/** Advisor.assignments: at most 50 per advisor, the most recently assigned. */
export const MAX_ADVISOR_ASSIGNMENTS = 50;
/** EscalationEntry.assignmentHistory: at most 50 per entry, the newest (returned oldest first). */
export const MAX_ASSIGNMENT_HISTORY = 50;

export class EscalationRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(EscalationEntity);
  }
  private assignments(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(AssignmentEntity);
  }

  findByIds(ids: readonly string[], tx?: EntityManager): Promise<EscalationEntity[]> {
    return ids.length ? this.repo(tx).findBy({ id: In([...ids]) }) : Promise.resolve([]);
  }

  /** Every entry of the claims, newest first (the open one, if any, is the newest). */
  findByClaimIds(claimIds: readonly string[]): Promise<EscalationEntity[]> {
    if (!claimIds.length) return Promise.resolve([]);
    return this.repo().find({
      where: { claimId: In([...claimIds]) },
      order: { queuedAt: 'DESC', id: 'ASC' },
    });
  }

  /** Every call-request entry of the cases, newest first. */
  findByCaseIds(caseIds: readonly string[]): Promise<EscalationEntity[]> {
    if (!caseIds.length) return Promise.resolve([]);
    return this.repo().find({
      where: { caseId: In([...caseIds]) },
      order: { queuedAt: 'DESC', id: 'ASC' },
    });
  }

  /**
   * Entries held (or resolved) by the advisors, most recently assigned first: the first
   * MAX_ADVISOR_ASSIGNMENTS of each (a window per advisor: one query for the batch).
   */
  findByAdvisorIds(advisorIds: readonly string[], status?: string): Promise<EscalationEntity[]> {
    if (!advisorIds.length) return Promise.resolve([]);
    const ids = [...advisorIds];
    return this.repo()
      .createQueryBuilder('e')
      .where(
        `e.id IN (SELECT w.id FROM (
           SELECT k.id, row_number() OVER (PARTITION BY k.conseiller_id ORDER BY k.date_assignation DESC, k.id ASC) AS rn
           FROM escalades k WHERE k.conseiller_id IN (:...ids)${status ? ' AND k.statut = :status' : ''}) w
         WHERE w.rn <= :max)`,
        { ids, status, max: MAX_ADVISOR_ASSIGNMENTS },
      )
      .orderBy('e.assignedAt', 'DESC')
      .addOrderBy('e.id', 'ASC')
      .getMany();
  }

  /** One page of the queue in its order: priority DESC, waiting time ASC, id ASC (idx_escalades_file). */
  queue(status: string, limit: number, after?: QueueCursor): Promise<EscalationEntity[]> {
    const qb = this.repo()
      .createQueryBuilder('e')
      .where('e.status = :status', { status })
      .orderBy('e.priority', 'DESC')
      .addOrderBy('e.queuedAt', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere(
        '(e.priority < :p OR (e.priority = :p AND (e.queuedAt > :t OR (e.queuedAt = :t AND e.id > :id))))',
        { p: after.priority, t: after.queuedAt, id: after.id },
      );
    }
    return qb.getMany();
  }

  count(status: string): Promise<number> {
    return this.repo().countBy({ status });
  }

  /** Locks the entry until the transaction ends (assignments and resolutions queue up on it). */
  lockById(tx: EntityManager, id: string): Promise<EscalationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.id = :id', { id })
      .getOne();
  }

  /**
   * Locks the head of the waiting queue. SKIP LOCKED: concurrent auto-assignments take
   * different entries instead of queueing behind the same one.
   */
  lockNextWaiting(tx: EntityManager): Promise<EscalationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(`e.status = 'en_attente'`)
      .orderBy('e.priority', 'DESC')
      .addOrderBy('e.queuedAt', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(1)
      .getOne();
  }

  /**
   * Serializes automatic assignments (held until the transaction ends). Taken first in every
   * automatic assignment, before any row lock (an escalating transaction holds only the entry
   * it just inserted, which nobody else can see): no lock cycle. It closes the race where an
   * entry is committed while an advisor becomes available and each transaction misses the
   * other: the second to take the lock reads (READ COMMITTED, new snapshot per statement)
   * what the first committed.
   */
  async lockAutoAssignment(tx: EntityManager): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [AUTO_ASSIGNMENT_LOCK]);
  }

  /**
   * Locks the waiting entry an advisor with room takes (pickEntry's order, in SQL so that it
   * can SKIP LOCKED): entries with a reason in `fitting` (the advisor's specialty) first, then
   * priority, waiting time and id.
   */
  async lockNextWaitingFor(tx: EntityManager, fitting: readonly string[]): Promise<EscalationEntity | null> {
    const rows: { id: string }[] = await tx.query(
      `SELECT e.id FROM escalades e
        WHERE e.statut = 'en_attente'
        ORDER BY EXISTS (SELECT 1 FROM jsonb_array_elements_text(e.raisons) r
                          WHERE upper(btrim(r)) = ANY($1::text[])) DESC,
                 e.priorite DESC, e.date_creation ASC, e.id ASC
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      [fitting.map((r) => r.toUpperCase())],
    );
    const id = rows[0]?.id;
    return id ? this.repo(tx).findOneBy({ id }) : null;
  }

  /**
   * Inserts a waiting entry unless the claim already has an open one (uq_escalades_sinistre_ouverte).
   * Returns the new entry, or null when one was open. Concurrent calls for one claim are
   * settled by the unique index itself: one inserts, the others wait for it and insert nothing.
   */
  async insertIfNoneOpen(
    tx: EntityManager,
    row: Pick<EscalationEntity, 'claimId' | 'clientId' | 'reasons' | 'priority' | 'queuedAt'>,
  ): Promise<EscalationEntity | null> {
    const inserted: InsertedRow[] = await tx.query(
      `INSERT INTO escalades (sinistre_id, client_id, raisons, priorite, statut, date_creation)
       VALUES ($1, $2, $3::jsonb, $4, 'en_attente', $5)
       ON CONFLICT (sinistre_id) WHERE statut <> 'resolue' DO NOTHING
       RETURNING id`,
      [row.claimId, row.clientId, JSON.stringify(row.reasons), row.priority, row.queuedAt],
    );
    return this.readInserted(tx, inserted);
  }

  /**
   * A call request's entry unless the case already has an open one (uq_escalades_dossier_ouverte):
   * the new entry, or null. Settled by the unique index as insertIfNoneOpen is.
   */
  async insertCallRequestIfNoneOpen(
    tx: EntityManager,
    row: Pick<
      EscalationEntity,
      'caseId' | 'leadEmail' | 'leadPhone' | 'callBackBy' | 'details' | 'reasons' | 'priority' | 'queuedAt'
    >,
  ): Promise<EscalationEntity | null> {
    const inserted: InsertedRow[] = await tx.query(
      `INSERT INTO escalades (dossier_id, lead_email, lead_telephone, rappel_avant, details,
                              raisons, priorite, statut, date_creation)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, 'en_attente', $8)
       ON CONFLICT (dossier_id) WHERE statut <> 'resolue' DO NOTHING
       RETURNING id`,
      [
        row.caseId,
        row.leadEmail,
        row.leadPhone,
        row.callBackBy,
        JSON.stringify(row.details),
        JSON.stringify(row.reasons),
        row.priority,
        row.queuedAt,
      ],
    );
    return this.readInserted(tx, inserted);
  }

  /**
   * A conversation's transfer as an entry unless the conversation already has an open one
   * (uq_escalades_conversation_ouverte): the new entry, or null. Settled by the unique index.
   */
  async insertHandoffIfNoneOpen(
    tx: EntityManager,
    row: Pick<EscalationEntity, 'conversationId' | 'clientId' | 'reasons' | 'priority' | 'queuedAt'>,
  ): Promise<EscalationEntity | null> {
    const inserted: InsertedRow[] = await tx.query(
      `INSERT INTO escalades (conversation_id, client_id, raisons, priorite, statut, date_creation)
       VALUES ($1, $2, $3::jsonb, $4, 'en_attente', $5)
       ON CONFLICT (conversation_id) WHERE statut <> 'resolue' DO NOTHING
       RETURNING id`,
      [row.conversationId, row.clientId, JSON.stringify(row.reasons), row.priority, row.queuedAt],
    );
    return this.readInserted(tx, inserted);
  }

  /** The row an INSERT ... ON CONFLICT DO NOTHING RETURNING id wrote, or null when it wrote none. */
  private async readInserted(tx: EntityManager, inserted: InsertedRow[]): Promise<EscalationEntity | null> {
    const id = inserted[0]?.id;
    if (!id) return null;
    const [entity] = await this.findByIds([id], tx);
    if (!entity) throw escalationError('ESCALATION.CORRUPT_ROW', `inserted escalation ${id} not found`);
    return entity;
  }

  findOpenByConversation(tx: EntityManager, conversationId: string): Promise<EscalationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('e')
      .where('e.conversationId = :conversationId', { conversationId })
      .andWhere(`e.status <> 'resolue'`)
      .getOne();
  }

  findOpenByCase(tx: EntityManager, caseId: string): Promise<EscalationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('e')
      .where('e.caseId = :caseId', { caseId })
      .andWhere(`e.status <> 'resolue'`)
      .getOne();
  }

  findOpenByClaim(tx: EntityManager, claimId: string): Promise<EscalationEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('e')
      .where('e.claimId = :claimId', { claimId })
      .andWhere(`e.status <> 'resolue'`)
      .getOne();
  }

  save(tx: EntityManager, row: EscalationEntity): Promise<EscalationEntity> {
    return this.repo(tx).save(row);
  }

  async openAssignment(
    tx: EntityManager,
    row: Pick<AssignmentEntity, 'escalationId' | 'advisorId' | 'startedAt' | 'mode'>,
  ): Promise<void> {
    await this.assignments(tx).insert({ ...row, endedAt: null });
  }

  async closeOpenAssignment(tx: EntityManager, escalationId: string, endedAt: Date): Promise<void> {
    await this.assignments(tx)
      .createQueryBuilder()
      .update()
      .set({ endedAt })
      .where('escalade_id = :escalationId AND date_fin IS NULL', { escalationId })
      .execute();
  }

  /**
   * Assignment history of the entries, oldest first: the newest MAX_ASSIGNMENT_HISTORY of each
   * (a window per entry: one query for the batch).
   */
  findAssignments(escalationIds: readonly string[]): Promise<AssignmentEntity[]> {
    if (!escalationIds.length) return Promise.resolve([]);
    const ids = [...escalationIds];
    return this.assignments()
      .createQueryBuilder('a')
      .where(
        `a.id IN (SELECT w.id FROM (
           SELECT k.id, row_number() OVER (PARTITION BY k.escalade_id ORDER BY k.date_debut DESC, k.id DESC) AS rn
           FROM affectations k WHERE k.escalade_id IN (:...ids)) w WHERE w.rn <= :max)`,
        { ids, max: MAX_ASSIGNMENT_HISTORY },
      )
      .orderBy('a.startedAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }
}
