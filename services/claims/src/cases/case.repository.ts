// SQL for seed 2's cases and their event journal: reads for the graph, writes (in the
// caller's transaction) for the partner ingestion and the claims' own journal entries.
import type { IdentityNote } from '@crm/events';
import type { EntityManager } from 'typeorm';
import { hydrator, lockKey } from '@crm/db';
import type { PersonalDataVault } from '@crm/privacy';
import type { Keyset, Page } from '../claims/claim.repository';
import { Params, timestampKey } from '../db/sql';
import { CaseCipher } from './case.cipher';
import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';
import type { LegacySession } from './legacy.rules';
import { MERGE_WINDOW_MS, type CaseKey, type CaseProjection, type JournalEventType } from './case.rules';

/** The most casesByLead returns, the most recently active kept (docs/security.md, Limits in place). */
export const MAX_CASES_BY_LEAD = 50;

export interface NewCase extends CaseKey {
  id: string;
  status: string;
  createdAt: Date;
}

export interface NewJournalEntry {
  id: string;
  caseId: string;
  type: JournalEventType;
  timestamp: Date;
  source: string;
  sourceId: string;
  payload: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  /** identity fields left out of a partner event (none for the service's own entries) */
  notes?: readonly IdentityNote[];
}

/** The dashboard's filters (Query.cases), already checked. */
export interface CaseListFilter {
  status?: string | undefined;
  intent?: string | undefined;
  siteId?: string | undefined;
  ownerUid?: string | undefined;
  updatedSince?: Date | undefined;
  nextActionBefore?: Date | undefined;
}

/** The activity a case is sorted by: its last event, else its creation. */
const ACTIVITY = 'coalesce(c.last_event_at, c.created_at)';

export class CaseRepository {
  private readonly toCase: (row: Record<string, unknown>) => CaseEntity;
  private readonly toEvent: (row: Record<string, unknown>) => CaseEventEntity;
  /** the lead and the journal's words, sealed under each case's key (docs/privacy.md) */
  private readonly cipher: CaseCipher;

  constructor(
    private readonly manager: EntityManager,
    vault: PersonalDataVault,
  ) {
    this.toCase = hydrator(manager.connection, CaseEntity);
    this.toEvent = hydrator(manager.connection, CaseEventEntity);
    this.cipher = new CaseCipher(vault);
  }

  private cases(rows: Record<string, unknown>[], manager?: EntityManager): Promise<CaseEntity[]> {
    return this.cipher.openCases(rows.map(this.toCase), manager);
  }

  private events(rows: Record<string, unknown>[]): Promise<CaseEventEntity[]> {
    return this.cipher.openEvents(rows.map(this.toEvent));
  }

  async findByIds(ids: readonly string[]): Promise<CaseEntity[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(
      `select * from cases where case_id = any($1::varchar[])`,
      [ids],
    );
    return this.cases(rows);
  }

  async exists(id: string, manager: EntityManager = this.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query(`select 1 from cases where case_id = $1`, [id]);
    return rows.length > 0;
  }

  /**
   * A lead's cases, the most recently active first, at most MAX_CASES_BY_LEAD, found by the
   * lead's blind index (an erased lead's cases are not his any more: left out).
   */
  async findByLead(leadId: string): Promise<CaseEntity[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(
      `select * from cases where lead_bidx = $1 and erased_at is null
        order by coalesce(last_event_at, created_at) desc, case_id
        limit $2`,
      [await this.cipher.leadIndex(leadId), MAX_CASES_BY_LEAD],
    );
    return this.cases(rows);
  }

  private listWhere(filter: CaseListFilter, p: Params, withStatus = true): string[] {
    const where: string[] = [];
    if (withStatus && filter.status) where.push(`c.status = ${p.add(filter.status)}`);
    if (filter.intent) where.push(`c.intent = ${p.add(filter.intent)}`);
    if (filter.siteId) where.push(`c.site_id = ${p.add(filter.siteId)}`);
    if (filter.ownerUid) where.push(`c.owner_uid = ${p.add(filter.ownerUid)}`);
    if (filter.updatedSince) where.push(`${ACTIVITY} >= ${p.add(filter.updatedSince)}::timestamp`);
    if (filter.nextActionBefore)
      where.push(`c.next_action_at < ${p.add(filter.nextActionBefore)}::timestamp`);
    return where;
  }

  /** The legacy session of a case (dual write), locked: its case's key lock is held already. */
  async legacySession(manager: EntityManager, caseId: string): Promise<LegacySession | null> {
    const rows: LegacySession[] = await manager.query(
      `select session_id, email, phone, name, intent, visa_type, site_id,
              to_json(created_at) #>> '{}' as created_at, to_json(completed_at) #>> '{}' as completed_at,
              audit, summary
         from audit_sessions where session_id = $1 for update`,
      [caseId],
    );
    const row = rows[0];
    return row
      ? {
          ...row,
          created_at: new Date(row.created_at).toISOString(),
          completed_at: new Date(row.completed_at).toISOString(),
        }
      : null;
  }

  async saveLegacySession(manager: EntityManager, s: LegacySession): Promise<void> {
    await manager.query(
      `insert into audit_sessions (session_id, email, phone, name, intent, visa_type, site_id, created_at, completed_at, audit, summary)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
       on conflict (session_id) do update set email = excluded.email, phone = excluded.phone, name = excluded.name,
         visa_type = excluded.visa_type, completed_at = excluded.completed_at, audit = excluded.audit,
         summary = excluded.summary`,
      [
        s.session_id,
        s.email,
        s.phone,
        s.name,
        s.intent,
        s.visa_type,
        s.site_id,
        s.created_at,
        s.completed_at,
        s.audit === null ? null : JSON.stringify(s.audit),
        s.summary === null ? null : JSON.stringify(s.summary),
      ],
    );
  }

  /** Query.cases: most recently active first (activity desc, case_id desc), one statement. */
  async page(filter: CaseListFilter, first: number, after?: Keyset): Promise<Page<CaseEntity>> {
    const p = new Params();
    const where = this.listWhere(filter, p);
    if (after)
      where.push(`(${ACTIVITY}, c.case_id) < (${p.add(after.sortValue)}::timestamp, ${p.add(after.id)})`);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `select c.*, ${timestampKey(ACTIVITY)} as sort_key from cases c
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by ${ACTIVITY} desc, c.case_id desc
        limit ${p.add(first + 1)}`,
      p.values,
    );
    const shown = rows.slice(0, first);
    const entities = await this.cases(shown);
    return {
      hasNextPage: rows.length > first,
      rows: shown.map((row, i) => ({
        entity: entities[i]!,
        key: { sortValue: String(row.sort_key), id: String(row.case_id) },
      })),
    };
  }

  async count(filter: CaseListFilter): Promise<number> {
    const p = new Params();
    const where = this.listWhere(filter, p);
    const rows: { n: number }[] = await this.manager.query(
      `select count(*)::int as n from cases c ${where.length ? `where ${where.join(' and ')}` : ''}`,
      p.values,
    );
    return rows[0]!.n;
  }

  /** How many cases of each status match the filter, its status left out; most first. */
  async countsByStatus(filter: CaseListFilter): Promise<{ status: string; count: number }[]> {
    const p = new Params();
    const where = this.listWhere(filter, p, false);
    return this.manager.query(
      `select c.status, count(*)::int as count from cases c
        ${where.length ? `where ${where.join(' and ')}` : ''}
        group by c.status order by count desc, c.status`,
      p.values,
    );
  }

  /**
   * Serialises the resolution of one lead + intent + site (two first events of a new lead
   * must not open two cases) until the caller's transaction ends.
   */
  async lockKey(manager: EntityManager, key: CaseKey): Promise<void> {
    await lockKey(manager, JSON.stringify(['case', key.leadId, key.intent, key.siteId]));
  }

  async eventExists(manager: EntityManager, eventId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`select 1 from case_events where event_id = $1`, [eventId]);
    return rows.length > 0;
  }

  /**
   * The cases of this key whose last event is less than the merge window away from `at` (not an
   * erased lead's: his key is gone, a new event of his opens a new case).
   */
  async candidates(manager: EntityManager, key: CaseKey, at: Date): Promise<CaseEntity[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select * from cases
        where lead_bidx = $1 and erased_at is null and intent = $2 and site_id = $3
          and coalesce(last_event_at, created_at) > $4::timestamp - make_interval(secs => $5)
          and coalesce(last_event_at, created_at) < $4::timestamp + make_interval(secs => $5)
        for update`,
      [await this.cipher.leadIndex(key.leadId, manager), key.intent, key.siteId, at, MERGE_WINDOW_MS / 1000],
    );
    return this.cases(rows, manager);
  }

  async lockCase(manager: EntityManager, id: string): Promise<CaseEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select * from cases where case_id = $1 for update`,
      [id],
    );
    return rows[0] ? ((await this.cases(rows, manager))[0] ?? null) : null;
  }

  /** A new case, its lead sealed under a key of its own (made here, in the transaction). */
  async insertCase(manager: EntityManager, c: NewCase): Promise<CaseEntity> {
    const lead = await this.cipher.sealLead(c.id, c.leadId, manager);
    const rows: Record<string, unknown>[] = await manager.query(
      `insert into cases (case_id, lead_id, lead_bidx, intent, site_id, status, created_at)
       values ($1, $2, $3, $4, $5, $6, $7) returning *`,
      [c.id, lead.sealed, lead.index, c.intent, c.siteId, c.status, c.createdAt],
    );
    return { ...this.toCase(rows[0]!), leadEmail: c.leadId };
  }

  /** false when the entry is already in the journal (a replay): nothing is written then. */
  async insertEvent(manager: EntityManager, e: NewJournalEntry): Promise<boolean> {
    const sealed = await this.cipher.sealEntry(e.caseId, e, manager);
    const rows: unknown[] = await manager.query(
      `insert into case_events (event_id, case_id, type, timestamp, source, source_id, payload, summary, notes)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict do nothing returning event_id`,
      [
        e.id,
        e.caseId,
        e.type,
        e.timestamp,
        e.source,
        e.sourceId,
        JSON.stringify(sealed.payload),
        sealed.summary === null ? null : JSON.stringify(sealed.summary),
        JSON.stringify(sealed.notes),
      ],
    );
    return rows.length > 0;
  }

  /** The case's owner (owner_uid) and since when; the caller holds the row lock (lockCase). */
  async setOwner(manager: EntityManager, id: string, ownerUid: string, at: Date): Promise<void> {
    await manager.query(`update cases set owner_uid = $2, owner_assigned_at = $3 where case_id = $1`, [
      id,
      ownerUid,
      at,
    ]);
  }

  async saveProjection(manager: EntityManager, id: string, p: CaseProjection): Promise<void> {
    await manager.query(
      `update cases set status = $2, last_event_at = $3, next_action_at = $4, confidence_score = $5
        where case_id = $1`,
      [id, p.status, p.lastEventAt, p.nextActionAt, p.confidenceScore],
    );
  }

  /**
   * An erased lead's cases (LeadErased, or the client's erasure): each case's key shredded, in
   * the erasure's transaction, so its lead and its journal's words can no longer be read wherever
   * they were copied (the journal stays immutable: nothing is rewritten); the legacy copy
   * (audit_sessions, in clear for the legacy readers) is deleted. The cases keep their status,
   * dates and the journal its types and dates. Returns how many cases were erased (a case erased
   * before, or unknown here, counts for nothing).
   */
  async eraseCases(manager: EntityManager, caseIds: readonly string[], at: Date): Promise<number> {
    if (caseIds.length === 0) return 0;
    // a CTE: TypeORM answers an UPDATE ... RETURNING with [rows, count], a SELECT with its rows
    const erased: { case_id: string }[] = await manager.query(
      `with erased as (
         update cases set erased_at = $2 where case_id = any($1::varchar[]) and erased_at is null
         returning case_id)
       select case_id from erased`,
      [caseIds, at],
    );
    await manager.query(`delete from audit_sessions where session_id = any($1::varchar[])`, [caseIds]);
    for (const { case_id: id } of erased) await this.cipher.shred(id, manager);
    return erased.length;
  }

  /**
   * Cases not yet named to identity (recorded before identity linked leads to their cases:
   * CaseLeadLinks1767900003000), locked (SKIP LOCKED: replicas share the work), at most `limit`,
   * oldest id first, with their lead opened: null for an erased case or one whose lead is a
   * claim's client. The caller publishes and marks them in the same transaction.
   */
  async pendingLeadLinks(
    tx: EntityManager,
    limit: number,
  ): Promise<{ caseId: string; lead: string | null }[]> {
    const rows: { case_id: string; lead_id: string | null; erased_at: Date | null }[] = await tx.query(
      `select case_id, lead_id, erased_at from cases where not lead_link_published
        order by case_id limit $1 for update skip locked`,
      [limit],
    );
    const live = rows.filter((r) => r.erased_at === null);
    const opened = await this.cipher.openCases(
      live.map((r) => Object.assign(new CaseEntity(), { id: r.case_id, leadEmail: r.lead_id })),
      tx,
    );
    const leads = new Map(opened.map((c) => [c.id, c.leadEmail]));
    return rows.map((r) => ({ caseId: r.case_id, lead: leads.get(r.case_id) ?? null }));
  }

  /** These cases are named to identity (or need not be). */
  async markLeadLinksPublished(tx: EntityManager, caseIds: readonly string[]): Promise<void> {
    if (caseIds.length === 0) return;
    await tx.query(`update cases set lead_link_published = true where case_id = any($1::varchar[])`, [
      caseIds,
    ]);
  }

  /**
   * The journal entries of these types on many cases, in time order, one statement
   * (Claim.activity): at most `perCase` per case, the newest (row_number() per case).
   */
  async eventsOfTypes(
    caseIds: readonly string[],
    types: readonly JournalEventType[],
    perCase: number,
  ): Promise<CaseEventEntity[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(
      `select x.* from (
         select e.*,
                row_number() over (partition by e.case_id order by e.timestamp desc, e.event_id desc) as rn
           from case_events e where e.case_id = any($1::varchar[]) and e.type = any($2::varchar[])
       ) x where x.rn <= $3
       order by x.case_id, x.timestamp, x.event_id`,
      [caseIds, types, perCase],
    );
    return this.events(rows);
  }

  async findEventsByIds(ids: readonly string[]): Promise<CaseEventEntity[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(
      `select * from case_events where event_id = any($1::varchar[])`,
      [ids],
    );
    return this.events(rows);
  }

  /** The same page of the journals of many cases, in time order (timestamp, event_id), one statement. */
  async eventPagesByCase(
    caseIds: readonly string[],
    options: { first: number; after?: Keyset },
  ): Promise<Map<string, Page<CaseEventEntity>>> {
    const p = new Params();
    const where = [`e.case_id = any(${p.add(caseIds)}::varchar[])`];
    if (options.after) {
      where.push(
        `(e.timestamp, e.event_id) > (${p.add(options.after.sortValue)}::timestamp, ${p.add(options.after.id)}::varchar)`,
      );
    }
    const rows: Record<string, unknown>[] = await this.manager.query(
      `select x.* from (
         select e.*, ${timestampKey('e.timestamp')} as sort_key,
                row_number() over (partition by e.case_id order by e.timestamp, e.event_id) as rn
           from case_events e where ${where.join(' and ')}
       ) x where x.rn <= ${p.add(options.first + 1)}
       order by x.case_id, x.rn`,
      p.values,
    );
    const entities = await this.events(rows);
    const entityOf = new Map(entities.map((e, i) => [rows[i]!, e]));
    const byCase = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      const key = String(row.case_id);
      const list = byCase.get(key);
      if (list) list.push(row);
      else byCase.set(key, [row]);
    }
    return new Map(
      caseIds.map((id) => {
        const list = byCase.get(id) ?? [];
        return [
          id,
          {
            hasNextPage: list.length > options.first,
            rows: list.slice(0, options.first).map((row) => ({
              entity: entityOf.get(row)!,
              key: { sortValue: String(row.sort_key), id: String(row.event_id) },
            })),
          },
        ];
      }),
    );
  }

  async countEventsByCase(caseIds: readonly string[]): Promise<Map<string, number>> {
    const rows: { case_id: string; n: number }[] = await this.manager.query(
      `select case_id, count(*)::int as n from case_events where case_id = any($1::varchar[]) group by case_id`,
      [caseIds],
    );
    return new Map(rows.map((r) => [r.case_id, r.n]));
  }
}
