import { randomUUID } from 'node:crypto';
import { firstPerParent } from '@crm/db';
import { uuidsOnly } from '@crm/subgraph';
import { SubjectErasedError, type PersonalDataVault } from '@crm/privacy';
import { In, type EntityManager } from 'typeorm';
import { EscalationCipher } from './escalation.cipher';
import { AssignmentEntity, EscalationEntity } from './escalation.entity';
import { escalationError } from '../errors';

/** pg_advisory_xact_lock key of automatic assignment (any constant unique to this database) */
const AUTO_ASSIGNMENT_LOCK = 4_005_001;
/** first key of the two-key advisory lock of one claim's entry and conversation link (second: the claim) */
const CLAIM_LOCK = 4_005_002;

export interface QueueCursor {
  priority: number;
  queuedAt: Date;
  id: string;
}

type InsertedRow = { id: string };

/** Which open entry an event is about: the entry itself, else the conversation's, else the claim's. */
export interface OpenEntryRef {
  escalationId: string | null;
  conversationId: string | null;
  claimId: string | null;
}

/** What the wait estimate reads of the recent past (escalation.rules.ts WaitHistory). */
export interface WaitHistoryRow {
  waits: number[];
  availableAdvisors: number;
}

/** The wait estimate's samples: the most recent first assignments of its window, at most this many. */
export const MAX_WAIT_SAMPLES = 500;

/** Advisor.assignments: at most 50 per advisor, the most recently assigned. */
export const MAX_ADVISOR_ASSIGNMENTS = 50;
/** EscalationEntry.assignmentHistory: at most 50 per entry, the newest (returned oldest first). */
export const MAX_ASSIGNMENT_HISTORY = 50;

/**
 * Every read opens what it returns and every write seals what it stores (EscalationCipher): the
 * entries leave this class in clear, the database holds their words as ciphertexts only.
 */
export class EscalationRepository {
  readonly cipher: EscalationCipher;

  constructor(
    private readonly manager: EntityManager,
    vault: PersonalDataVault,
  ) {
    this.cipher = new EscalationCipher(vault);
  }

  private async one(
    row: Promise<EscalationEntity | null>,
    tx?: EntityManager,
  ): Promise<EscalationEntity | null> {
    const found = await row;
    return found && (await this.cipher.open([found], tx))[0]!;
  }

  private async many(rows: Promise<EscalationEntity[]>, tx?: EntityManager): Promise<EscalationEntity[]> {
    return this.cipher.open(await rows, tx);
  }

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(EscalationEntity);
  }
  private assignments(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(AssignmentEntity);
  }

  findByIds(ids: readonly string[], tx?: EntityManager): Promise<EscalationEntity[]> {
    return ids.length ? this.many(this.repo(tx).findBy({ id: In([...ids]) }), tx) : Promise.resolve([]);
  }

  /** Every entry of the claims, newest first (the open one, if any, is the newest). */
  findByClaimIds(claimIds: readonly string[]): Promise<EscalationEntity[]> {
    if (!claimIds.length) return Promise.resolve([]);
    return this.many(
      this.repo().find({
        where: { claimId: In([...claimIds]) },
        order: { queuedAt: 'DESC', id: 'ASC' },
      }),
    );
  }

  /** Every call-request entry of the cases, newest first. */
  findByCaseIds(caseIds: readonly string[]): Promise<EscalationEntity[]> {
    if (!caseIds.length) return Promise.resolve([]);
    return this.many(
      this.repo().find({
        where: { caseId: In([...caseIds]) },
        order: { queuedAt: 'DESC', id: 'ASC' },
      }),
    );
  }

  /**
   * Entries held (or resolved) by the advisors, most recently assigned first: the first
   * MAX_ADVISOR_ASSIGNMENTS of each (a window per advisor: one query for the batch).
   */
  findByAdvisorIds(advisorIds: readonly string[], status?: string): Promise<EscalationEntity[]> {
    if (!advisorIds.length) return Promise.resolve([]);
    const [inFirst, params] = firstPerParent('e', {
      table: 'escalades',
      parent: 'conseiller_id',
      order: 'k.date_assignation DESC, k.id ASC',
      parentIds: advisorIds,
      max: MAX_ADVISOR_ASSIGNMENTS,
      ...(status ? { filter: 'k.statut = :status' } : {}),
    });
    return this.many(
      this.repo()
        .createQueryBuilder('e')
        .where(inFirst, { ...params, status })
        .orderBy('e.assignedAt', 'DESC')
        .addOrderBy('e.id', 'ASC')
        .getMany(),
    );
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
    return this.many(qb.getMany());
  }

  count(status: string): Promise<number> {
    return this.repo().countBy({ status });
  }

  /** Locks the entry until the transaction ends (assignments and resolutions queue up on it). */
  lockById(tx: EntityManager, id: string): Promise<EscalationEntity | null> {
    return this.one(
      this.repo(tx).createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne(),
      tx,
    );
  }

  /**
   * Locks the head of the waiting queue. SKIP LOCKED: concurrent auto-assignments take
   * different entries instead of queueing behind the same one.
   */
  lockNextWaiting(tx: EntityManager): Promise<EscalationEntity | null> {
    return this.one(
      this.repo(tx)
        .createQueryBuilder('e')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where(`e.status = 'en_attente'`)
        .orderBy('e.priority', 'DESC')
        .addOrderBy('e.queuedAt', 'ASC')
        .addOrderBy('e.id', 'ASC')
        .limit(1)
        .getOne(),
      tx,
    );
  }

  /**
   * ClientErased: the client's entries keep their claim, dates, priority, reasons and advisors
   * (the queue's record), not what was written about him: the advisors' resolution text, the
   * number he gave for a call-back, the request's details. Returns how many entries changed.
   */
  async eraseClient(tx: EntityManager, clientId: string): Promise<number> {
    const [row] = await tx.query<{ n: number }[]>(
      `WITH erased AS (
         UPDATE escalades
            SET resolution = NULL, rappel_propose_telephone = NULL, details = NULL
          WHERE client_id = $1
            AND (resolution IS NOT NULL OR rappel_propose_telephone IS NOT NULL OR details IS NOT NULL)
          RETURNING 1)
       SELECT count(*)::int AS n FROM erased`,
      [clientId],
    );
    // every entry's key, with words or not: copies taken before are unreadable, and no word about
    // him is written in them afterwards (save() drops them)
    const entries = await tx.query<{ id: string }[]>(`SELECT id FROM escalades WHERE client_id = $1`, [
      clientId,
    ]);
    for (const entry of entries) await this.cipher.shred(entry.id, tx);
    return row?.n ?? 0;
  }

  /**
   * A lead's erasure (LeadErased, or ClientErased's leadCaseIds): the call-request entries of
   * these cases keep their case, dates, priority, reasons, status and advisors (the queue's
   * record), not the lead's words: his phone, the request's details (his name, his notes), a
   * call-back number and the advisors' resolution text are emptied, and every entry's key is
   * shredded. The lead's e-mail keeps its ciphertext: an entry about a case names its lead
   * (chk_escalades_lead, lead_email NOT NULL when dossier_id is set), and under a shredded key
   * it is unreadable, here and in every copy. A case id that is not a UUID names no entry here.
   * Returns how many entries changed (words emptied or key shredded: a replay changes none).
   */
  async eraseCases(tx: EntityManager, caseIds: readonly string[]): Promise<number> {
    const ids = uuidsOnly(caseIds);
    if (!ids.length) return 0;
    // every entry locked first, in id order: an assignment or a resolution under way ends
    // before (its words are then emptied with the rest), or reads the entry after the erasure
    const entries = await tx.query<{ id: string }[]>(
      `SELECT id FROM escalades WHERE dossier_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    if (!entries.length) return 0;
    const emptied = await tx.query<{ id: string }[]>(
      `WITH erased AS (
         UPDATE escalades
            SET lead_telephone = NULL, details = NULL, rappel_propose_telephone = NULL, resolution = NULL
          WHERE id = ANY($1::uuid[])
            AND (lead_telephone IS NOT NULL OR details IS NOT NULL
                 OR rappel_propose_telephone IS NOT NULL OR resolution IS NOT NULL)
          RETURNING id)
       SELECT id FROM erased`,
      [entries.map((e) => e.id)],
    );
    const changed = new Set(emptied.map((e) => e.id));
    // lead_email included: copies taken before are unreadable, and save() writes no word after
    for (const { id } of entries) if (await this.cipher.shred(id, tx)) changed.add(id);
    return changed.size;
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
    return id ? this.one(this.repo(tx).findOneBy({ id }), tx) : null;
  }

  /**
   * Serializes what concerns one claim's entry until the transaction ends: its creation
   * (insertIfNoneOpen) and its link to the conversation the claim was declared in
   * (linkClaimConversation), which arrive in either order from two topics. Whoever takes it
   * second reads what the first committed. Taken before any row lock.
   */
  async lockClaim(tx: EntityManager, claimId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1::int, hashtext($2))`, [CLAIM_LOCK, claimId]);
  }

  /**
   * Inserts a waiting entry unless the claim already has an open one (uq_escalades_sinistre_ouverte).
   * Returns the new entry, or null when one was open. Concurrent calls for one claim are
   * settled by the unique index itself: one inserts, the others wait for it and insert nothing.
   * The entry refers to the conversation the claim was declared in, when a transfer said so
   * (sinistres_conversations) and no other open entry holds that conversation.
   */
  async insertIfNoneOpen(
    tx: EntityManager,
    row: Pick<EscalationEntity, 'claimId' | 'clientId' | 'reasons' | 'priority' | 'queuedAt'>,
  ): Promise<EscalationEntity | null> {
    const inserted: InsertedRow[] = await tx.query(
      `INSERT INTO escalades (sinistre_id, client_id, conversation_id, raisons, priorite, statut, date_creation)
       SELECT $1::uuid, $2::uuid,
              (SELECT l.conversation_id FROM sinistres_conversations l
                WHERE l.sinistre_id = $1::uuid
                  AND NOT EXISTS (SELECT 1 FROM escalades o
                                   WHERE o.conversation_id = l.conversation_id AND o.statut <> 'resolue')),
              $3::jsonb, $4, 'en_attente', $5
       ON CONFLICT (sinistre_id) WHERE statut <> 'resolue' DO NOTHING
       RETURNING id`,
      [row.claimId, row.clientId, JSON.stringify(row.reasons), row.priority, row.queuedAt],
    );
    return this.readInserted(tx, inserted);
  }

  /**
   * Keeps the conversation a claim was declared in (the latest transfer wins; an older one
   * arriving late changes nothing). Returns the claim's conversation as it now stands, or null
   * when a later transfer's is kept.
   */
  async upsertClaimConversation(
    tx: EntityManager,
    link: { claimId: string; conversationId: string; requestedAt: Date },
  ): Promise<string | null> {
    const rows: { conversation_id: string }[] = await tx.query(
      `INSERT INTO sinistres_conversations (sinistre_id, conversation_id, date_transfert)
       VALUES ($1, $2, $3)
       ON CONFLICT (sinistre_id) DO UPDATE
         SET conversation_id = EXCLUDED.conversation_id, date_transfert = EXCLUDED.date_transfert
         WHERE sinistres_conversations.date_transfert <= EXCLUDED.date_transfert
       RETURNING conversation_id`,
      [link.claimId, link.conversationId, link.requestedAt],
    );
    return rows[0]?.conversation_id ?? null;
  }

  /**
   * The claim's open entry now refers to this conversation, unless another open entry holds it
   * (uq_escalades_conversation_ouverte: one open entry per conversation). Returns the entry's id
   * when it changed.
   */
  async linkClaimConversation(
    tx: EntityManager,
    claimId: string,
    conversationId: string,
  ): Promise<string | null> {
    const [rows]: [{ id: string }[], number] = await tx.query(
      `UPDATE escalades e SET conversation_id = $2::uuid
        WHERE e.sinistre_id = $1 AND e.statut <> 'resolue'
          AND e.conversation_id IS DISTINCT FROM $2::uuid
          AND NOT EXISTS (SELECT 1 FROM escalades o
                           WHERE o.conversation_id = $2::uuid AND o.statut <> 'resolue' AND o.id <> e.id)
        RETURNING e.id`,
      [claimId, conversationId],
    );
    return rows[0]?.id ?? null;
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
    // the entry's id is its key's subject: chosen here, its words sealed under it
    const id = randomUUID();
    const words = await this.cipher.seal(
      id,
      { leadEmail: row.leadEmail, leadPhone: row.leadPhone, details: row.details },
      tx,
    );
    const inserted: InsertedRow[] = await tx.query(
      `INSERT INTO escalades (id, dossier_id, lead_email, lead_telephone, rappel_avant, details,
                              raisons, priorite, statut, date_creation)
       VALUES ($9, $1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, 'en_attente', $8)
       ON CONFLICT (dossier_id) WHERE statut <> 'resolue' DO NOTHING
       RETURNING id`,
      [
        row.caseId,
        words.leadEmail,
        words.leadPhone,
        row.callBackBy,
        words.details === null ? null : JSON.stringify(words.details),
        JSON.stringify(row.reasons),
        row.priority,
        row.queuedAt,
        id,
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

  /**
   * Locks the open entry an event of the conversation is about: the entry it names (only that
   * one: null when it is resolved or unknown), else the conversation's open entry, else the
   * claim's.
   */
  async lockOpenFor(tx: EntityManager, ref: OpenEntryRef): Promise<EscalationEntity | null> {
    if (ref.escalationId) {
      const named = await this.lockById(tx, ref.escalationId);
      return named && named.status !== 'resolue' ? named : null;
    }
    const byConversation = ref.conversationId
      ? await this.lockOpenWhere(tx, 'e.conversationId = :id', ref.conversationId)
      : null;
    if (byConversation || !ref.claimId) return byConversation;
    return this.lockOpenWhere(tx, 'e.claimId = :id', ref.claimId);
  }

  private lockOpenWhere(tx: EntityManager, where: string, id: string): Promise<EscalationEntity | null> {
    return this.one(
      this.repo(tx)
        .createQueryBuilder('e')
        .setLock('pessimistic_write')
        .where(where, { id })
        .andWhere(`e.status <> 'resolue'`)
        .getOne(),
      tx,
    );
  }

  /**
   * The 1-based place of each WAITING entry among the waiting ones, in the queue's order
   * (priority DESC, waiting time ASC, id ASC: queue() and idx_escalades_file); entries not
   * waiting are absent. One statement for the batch.
   */
  async waitingPositions(ids: readonly string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows: { id: string; position: number }[] = await this.manager.query(
      `SELECT w.id, w.position::int AS position FROM (
         SELECT e.id, row_number() OVER (ORDER BY e.priorite DESC, e.date_creation ASC, e.id ASC) AS position
           FROM escalades e WHERE e.statut = 'en_attente') w
        WHERE w.id = ANY($1::uuid[])`,
      [[...ids]],
    );
    return new Map(rows.map((r) => [r.id, r.position]));
  }

  /**
   * The wait estimate's history, in one statement: the waits (seconds from queuing to the first
   * assignment, AUTO or MANUAL; a reassignment is not a wait) of the entries first assigned in
   * (since, until], the most recent MAX_WAIT_SAMPLES, and the advisors AVAILABLE now.
   */
  async waitHistory(since: Date, until: Date): Promise<WaitHistoryRow> {
    const rows: { waits: number[] | null; available: number }[] = await this.manager.query(
      `SELECT
         (SELECT array_agg(s.w) FROM (
            SELECT extract(epoch FROM a.date_debut - e.date_creation)::float8 AS w
              FROM affectations a JOIN escalades e ON e.id = a.escalade_id
             WHERE a.motif IN ('auto', 'manuel') AND a.date_debut > $1 AND a.date_debut <= $2
             ORDER BY a.date_debut DESC LIMIT $3) s) AS waits,
         (SELECT count(*)::int FROM conseillers WHERE statut = 'disponible') AS available`,
      [since, until, MAX_WAIT_SAMPLES],
    );
    const row = rows[0];
    return { waits: (row?.waits ?? []).map(Number), availableAdvisors: row?.available ?? 0 };
  }

  findOpenByConversation(tx: EntityManager, conversationId: string): Promise<EscalationEntity | null> {
    return this.one(
      this.repo(tx)
        .createQueryBuilder('e')
        .where('e.conversationId = :conversationId', { conversationId })
        .andWhere(`e.status <> 'resolue'`)
        .getOne(),
      tx,
    );
  }

  findOpenByCase(tx: EntityManager, caseId: string): Promise<EscalationEntity | null> {
    return this.one(
      this.repo(tx)
        .createQueryBuilder('e')
        .where('e.caseId = :caseId', { caseId })
        .andWhere(`e.status <> 'resolue'`)
        .getOne(),
      tx,
    );
  }

  findOpenByClaim(tx: EntityManager, claimId: string): Promise<EscalationEntity | null> {
    return this.one(
      this.repo(tx)
        .createQueryBuilder('e')
        .where('e.claimId = :claimId', { claimId })
        .andWhere(`e.status <> 'resolue'`)
        .getOne(),
      tx,
    );
  }

  /**
   * Writes the entry, its words sealed (the row given stays in clear, and is returned). An entry
   * whose person was erased (its key shredded) takes no words about him: they are not written.
   */
  async save(tx: EntityManager, row: EscalationEntity): Promise<EscalationEntity> {
    let sealed: EscalationEntity;
    try {
      sealed = await this.cipher.seal(row.id, Object.assign(new EscalationEntity(), row), tx);
    } catch (err) {
      if (!(err instanceof SubjectErasedError)) throw err;
      Object.assign(row, {
        leadEmail: null,
        leadPhone: null,
        offeredCallBackPhone: null,
        resolution: null,
        details: null,
      });
      sealed = Object.assign(new EscalationEntity(), row);
    }
    // a null lead e-mail is never written (TypeORM leaves an undefined column as it is): only a
    // call request has one, which it must keep (chk_escalades_lead), and it reads null once its
    // lead was erased (eraseCases): the column keeps that unreadable ciphertext
    if (sealed.leadEmail === null) delete (sealed as Partial<EscalationEntity>).leadEmail;
    await this.repo(tx).save(sealed);
    return row;
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
    return this.assignments()
      .createQueryBuilder('a')
      .where(
        ...firstPerParent('a', {
          table: 'affectations',
          parent: 'escalade_id',
          order: 'k.date_debut DESC, k.id DESC',
          parentIds: escalationIds,
          max: MAX_ASSIGNMENT_HISTORY,
        }),
      )
      .orderBy('a.startedAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }
}
