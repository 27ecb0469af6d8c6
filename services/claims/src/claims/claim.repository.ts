// Every SQL statement about claims and their recommended actions. Reads that feed list
// fields take many parents at once (one statement per batch, never one per parent).
import type { EntityManager } from 'typeorm';
import { hydrator, lockKey, type AuditRow, type FieldChange } from '@crm/db';
import type { AuditFieldChangeView } from '@crm/subgraph';
import type { PersonalDataVault } from '@crm/privacy';
import { PRIOR_CLAIMS_WINDOW_DAYS, priorClaimsLast12Months } from '@crm/cci';
import { Params, timestampKey } from '../db/sql';
import { ACTION_REASON, ACTIVITY_DETAIL, ClaimCipher } from './claim.cipher';
import { ClaimEntity } from './claim.entity';
import { RecommendedActionEntity } from './recommended-action.entity';
import { claimDayOf, type NewAction } from './claim.rules';
import type { RecordableActivityKind, RecordedActivity } from './claim-activity.rules';
import type { RecordedTrigger } from './claim-triggers.rules';
import { dueAtOf } from './recommended-action.rules';

export interface ClaimListFilter {
  clientId?: string | null;
  /** French status_dossier value */
  status?: string | null;
  cciMin?: number | null;
  cciMax?: number | null;
  includeArchived?: boolean | null;
}

/** A hand-recorded activity with the claim it belongs to (a row of `activites_sinistre`). */
export interface ClaimActivityRow extends RecordedActivity {
  claimId: string;
}

interface ActivityRecord {
  sinistre_id: string;
  type_activite: RecordableActivityKind;
  detail: string | null;
  date_activite: Date;
  acteur_type: string;
  acteur_id: string;
  date_enregistrement: Date;
}

const activityOf = (r: ActivityRecord): ClaimActivityRow => ({
  claimId: r.sinistre_id,
  kind: r.type_activite,
  detail: r.detail,
  at: r.date_activite.toISOString(),
  actor: { kind: r.acteur_type, id: r.acteur_id },
  recordedAt: r.date_enregistrement.toISOString(),
});

export interface Keyset {
  sortValue: string;
  id: string;
}

export interface PagedRow<T> {
  entity: T;
  /** the row's keyset position (sort value with microseconds, id) */
  key: Keyset;
}

export interface Page<T> {
  rows: PagedRow<T>[];
  hasNextPage: boolean;
}

/**
 * The most a claim's list fields return, the newest kept (docs/security.md, Limits in place).
 * Contract.claims: one statement per batch, row_number() per contract. Claim.activity: the case
 * journal's share is read with a limit per case (CaseRepository.eventsOfTypes), the entries
 * recorded by hand with a limit per claim (recordedActivities), the merged timeline is cut to
 * this size. Claim.statusHistory is a column of the claim's own row
 * (historique_statut), cut where it is mapped (claim.resolvers.ts).
 */
export const MAX_CONTRACT_CLAIMS = 100;
export const MAX_CLAIM_ACTIVITY = 200;
export const MAX_CLAIM_STATUS_HISTORY = 100;

/** Writable columns of `sinistres` (entity property names); `id` only on insert. */
export type ClaimValues = Partial<ClaimEntity>;

/**
 * Every read opens what it returns and every write seals what it stores (ClaimCipher): the
 * claims leave this class in clear, the database holds their words as ciphertexts only.
 */
export class ClaimRepository {
  private readonly toClaim: (row: Record<string, unknown>) => ClaimEntity;
  private readonly toAction: (row: Record<string, unknown>) => RecommendedActionEntity;
  readonly cipher: ClaimCipher;

  constructor(
    private readonly manager: EntityManager,
    vault: PersonalDataVault,
  ) {
    this.toClaim = hydrator(manager.connection, ClaimEntity);
    this.toAction = hydrator(manager.connection, RecommendedActionEntity);
    this.cipher = new ClaimCipher(vault);
  }

  /** A change's audited fields, sealed under the claim's key (ClaimCipher.auditChanges). */
  auditChanges(
    before: Partial<ClaimEntity>,
    after: ClaimEntity,
    tx?: EntityManager,
  ): Promise<Record<string, FieldChange> | null> {
    return this.cipher.auditChanges(before, after, tx);
  }

  /** A recorded activity's audit values, sealed under the claim's key (ClaimCipher.auditActivity). */
  auditActivity(
    entry: RecordedActivity,
    before: ClaimEntity,
    after: ClaimEntity,
    tx?: EntityManager,
  ): Promise<Record<string, FieldChange> | null> {
    return this.cipher.auditActivity(entry, before, after, tx);
  }

  /** An action's status change, sealed under its claim's key (ClaimCipher.auditActionStatus). */
  auditActionStatus(
    claimId: string,
    before: RecommendedActionEntity,
    after: RecommendedActionEntity,
    tx?: EntityManager,
  ): Promise<Record<string, FieldChange> | null> {
    return this.cipher.auditActionStatus(claimId, before, after, tx);
  }

  /** Claim.auditTrail's values, opened (ClaimCipher.revealAuditChanges). */
  revealAuditChanges(records: readonly AuditRow[]): Promise<Map<number, AuditFieldChangeView[]>> {
    return this.cipher.revealAuditChanges(records);
  }

  /** Raw rows as claims, their words opened (one key query for the batch). */
  private claimsOf(rows: Record<string, unknown>[], tx?: EntityManager): Promise<ClaimEntity[]> {
    return this.cipher.openClaims(
      rows.map((row) => this.toClaim(row)),
      tx,
    );
  }

  private async claimOf(rows: Record<string, unknown>[], tx?: EntityManager): Promise<ClaimEntity | null> {
    return rows[0] ? (await this.claimsOf([rows[0]], tx))[0]! : null;
  }

  /** Raw rows as recommended actions, their reasons opened. */
  private actionsOf(rows: Record<string, unknown>[], tx?: EntityManager): Promise<RecommendedActionEntity[]> {
    return this.cipher.openTexts(
      rows.map((row) => this.toAction(row)),
      ACTION_REASON,
      (a) => a.statusReason,
      (a, value) => (a.statusReason = value),
      tx,
    );
  }

  /**
   * ClientErased: the client's claims keep what the insurer must keep (number, dates, type,
   * amounts, statuses, the CCI and its factors, the facts as yes/no, the third party, who moved
   * it and when, the kinds and dates of the recorded activities) and lose what he said: the
   * description, the place, the photos, the texts of the recorded activities, the reasons
   * given for status changes and for the recommended actions' outcomes. Returns the claims
   * erased.
   */
  async eraseClient(tx: EntityManager, clientId: string, at: Date): Promise<string[]> {
    // under the client's lock, as openClaim reads it: a claim opened meanwhile is erased too,
    // and none is opened for him afterwards
    await this.lockClient(tx, clientId);
    await tx.query(
      `INSERT INTO clients_effaces (client_id, efface_le) VALUES ($1, $2) ON CONFLICT (client_id) DO NOTHING`,
      [clientId, at],
    );
    const claims = await tx.query<{ id: string }[]>(
      `WITH erased AS (
         UPDATE sinistres
            SET description = NULL, lieu = NULL, photo_urls = NULL,
                historique_statut = (SELECT coalesce(jsonb_agg(h || '{"reason": null}'::jsonb ORDER BY i), '[]'::jsonb)
                                       FROM jsonb_array_elements(historique_statut) WITH ORDINALITY AS e(h, i)),
                date_modification = $2, client_efface_le = $2
          WHERE client_id = $1
          RETURNING id)
       SELECT id FROM erased`,
      [clientId, at],
    );
    const ids = claims.map((c) => c.id);
    // and the keys: every copy of those words (replicas, dumps, backups) is unreadable from now on
    for (const id of ids) await this.cipher.shred(id, tx);
    if (ids.length) {
      await tx.query(
        `UPDATE actions_recommandees SET motif_statut = NULL WHERE sinistre_id = ANY($1::uuid[])`,
        [ids],
      );
      await tx.query(
        `UPDATE activites_sinistre SET detail = NULL WHERE sinistre_id = ANY($1::uuid[]) AND detail IS NOT NULL`,
        [ids],
      );
    }
    return ids;
  }

  /** Serializes, until the transaction ends, a claim's opening with its client's erasure. */
  async lockClient(tx: EntityManager, clientId: string): Promise<void> {
    await lockKey(tx, `clients:${clientId}`);
  }

  /** Whether the client was erased (read under lockClient). */
  async isClientErased(tx: EntityManager, clientId: string): Promise<boolean> {
    const rows = await tx.query<unknown[]>(`select 1 from clients_effaces where client_id = $1`, [clientId]);
    return rows.length > 0;
  }

  /** recordClaimActivity's entries, in the order given (one statement). */
  async insertActivities(
    manager: EntityManager,
    claimId: string,
    entries: readonly RecordedActivity[],
  ): Promise<void> {
    if (!entries.length) return;
    const p = new Params();
    const details = await this.cipher.sealTexts(
      claimId,
      ACTIVITY_DETAIL,
      entries.map((a) => a.detail),
      manager,
    );
    const tuples = entries.map(
      (a, i) =>
        `(${p.add(claimId)}, ${p.add(a.kind)}, ${p.add(details[i]!)}, ${p.add(new Date(a.at))}, ${p.add(a.actor.kind)}, ${p.add(a.actor.id.slice(0, 200))}, ${p.add(new Date(a.recordedAt))})`,
    );
    await manager.query(
      `insert into activites_sinistre
              (sinistre_id, type_activite, detail, date_activite, acteur_type, acteur_id, date_enregistrement)
       values ${tuples.join(', ')}`,
      p.values,
    );
  }

  /**
   * The entries recorded by hand on many claims, at most `limit` per claim (the newest by the
   * instant they happened, as Claim.activity sorts them), in the order they were recorded:
   * row_number() per claim, one statement.
   */
  async recordedActivities(claimIds: readonly string[], limit: number): Promise<ClaimActivityRow[]> {
    const rows: ActivityRecord[] = await this.m().query(
      `select x.* from (
         select a.*, row_number() over (partition by a.sinistre_id order by a.date_activite desc, a.id desc) as rn
           from activites_sinistre a where a.sinistre_id = any($1::uuid[])
       ) x where x.rn <= $2
       order by x.sinistre_id, x.id`,
      [claimIds, limit],
    );
    return this.cipher.openTexts(
      rows.map(activityOf),
      ACTIVITY_DETAIL,
      (a) => a.detail,
      (a, value) => (a.detail = value),
    );
  }

  /** The kinds of activity ever recorded by hand on a claim (the recommended actions' rules read them). */
  async recordedActivityKinds(manager: EntityManager, claimId: string): Promise<RecordableActivityKind[]> {
    const rows: { type_activite: RecordableActivityKind }[] = await manager.query(
      `select distinct type_activite from activites_sinistre where sinistre_id = $1 order by type_activite`,
      [claimId],
    );
    return rows.map((r) => r.type_activite);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.manager;
  }

  /** The next claim number's sequence value (never handed out twice, even across rollbacks). */
  async nextClaimSequence(manager: EntityManager): Promise<string> {
    const rows: { n: string }[] = await manager.query(`select nextval('numero_sinistre_seq')::text as n`);
    return rows[0]!.n;
  }

  /** `values.id` is required: the claim's key is made for it before its words are written. */
  async insert(manager: EntityManager, values: ClaimValues): Promise<ClaimEntity> {
    if (!values.id) throw new Error('a claim is inserted with its id (its words are sealed under it)');
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ClaimEntity)
      .values(await this.cipher.sealValues(values.id, values, manager))
      .returning('*')
      .execute();
    return (await this.claimOf(result.raw as Record<string, unknown>[], manager))!;
  }

  async update(manager: EntityManager, id: string, values: ClaimValues): Promise<ClaimEntity> {
    const result = await manager
      .createQueryBuilder()
      .update(ClaimEntity)
      .set(await this.cipher.sealValues(id, values, manager))
      .where('id = :id', { id })
      .returning('*')
      .execute();
    return (await this.claimOf(result.raw as Record<string, unknown>[], manager))!;
  }

  /**
   * Serialises the openings of one reserved id (a row lock cannot lock a row that does not
   * exist yet) and returns the claim already opened under it, if any.
   */
  async lockNewId(manager: EntityManager, id: string): Promise<ClaimEntity | null> {
    await lockKey(manager, `sinistres:${id}`);
    const rows: Record<string, unknown>[] = await manager.query(`select * from sinistres where id = $1`, [
      id,
    ]);
    return this.claimOf(rows, manager);
  }

  /** Locks the row for the rest of the transaction (concurrent updates apply one after the other). */
  async lock(manager: EntityManager, id: string): Promise<ClaimEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select * from sinistres where id = $1 for update`,
      [id],
    );
    return this.claimOf(rows, manager);
  }

  /**
   * The stall timer's batch (claim-delay.rules.ts isStalled, in SQL): open, non-archived
   * claims whose last progress is before the cutoff and that never fired the delay trigger,
   * longest stalled first, locked for the caller's transaction. SKIP LOCKED: several pollers
   * (instances) share the work and never take the same claim; a claim an advisor is changing
   * right now is left to the next tick.
   */
  async lockStalled(
    manager: EntityManager,
    cutoff: Date,
    triggerCode: string,
    limit: number,
  ): Promise<ClaimEntity[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select * from sinistres
        where archived_at is null and status_dossier <> 'fermé' and date_modification < $1
          and not declencheurs @> jsonb_build_array(jsonb_build_object('code', $2::text))
        order by date_modification, id
        limit $3
        for update skip locked`,
      [cutoff, triggerCode, limit],
    );
    return this.claimsOf(rows, manager);
  }

  /**
   * The client's other (non-archived) claims whose event happened in the 12 months before
   * this one: the CCI's claim history fact.
   */
  /**
   * The CCI's priorClaimsLast12Months for a claim of this client occurring at `occurredAt`:
   * @crm/cci's rule over the days of his other claims, not archived (the bot counts with the same
   * rule at its decision). Read before the new claim is written, so it is not among them.
   */
  async countPriorClaims(manager: EntityManager, clientId: string, occurredAt: Date): Promise<number> {
    const occurredOn = claimDayOf(occurredAt);
    const rows: { day: string }[] = await manager.query(
      // date_sinistre holds the instant in UTC (a time unknown: the day's start); the window is
      // the rule's, one day wider on each side, which the rule narrows
      `select to_char(date_sinistre, 'YYYY-MM-DD') as day from sinistres
        where client_id = $1 and archived_at is null
          and date_sinistre >= $2::date - ${PRIOR_CLAIMS_WINDOW_DAYS + 1} and date_sinistre < $2::date + 2`,
      [clientId, occurredOn],
    );
    return priorClaimsLast12Months(
      occurredOn,
      rows.map((r) => r.day),
    );
  }

  async insertActions(
    manager: EntityManager,
    claimId: string,
    actions: NewAction[],
    now: Date,
  ): Promise<void> {
    if (!actions.length) return;
    const p = new Params();
    const tuples = actions.map(
      (a) =>
        `(${p.add(claimId)}, ${p.add(a.type)}, ${p.add(a.description)}, ${p.add(a.priority)}, ${p.add(now)}, ${p.add(dueAtOf(a.priority, now))})`,
    );
    await manager.query(
      `insert into actions_recommandees (sinistre_id, type_action, description, priorite, date_creation, date_echeance)
       values ${tuples.join(', ')}`,
      p.values,
    );
  }

  async findByIds(ids: readonly string[]): Promise<ClaimEntity[]> {
    const rows: Record<string, unknown>[] = await this.m().query(
      `select * from sinistres where id = any($1::uuid[])`,
      [ids],
    );
    return this.claimsOf(rows);
  }

  async findByNumber(claimNumber: string): Promise<ClaimEntity | null> {
    const rows: Record<string, unknown>[] = await this.m().query(
      `select * from sinistres where numero_sinistre = $1`,
      [claimNumber],
    );
    return this.claimOf(rows);
  }

  private filterSql(filter: ClaimListFilter, p: Params): string[] {
    const where: string[] = [];
    if (filter.clientId) where.push(`s.client_id = ${p.add(filter.clientId)}::uuid`);
    if (filter.status) where.push(`s.status_dossier = ${p.add(filter.status)}`);
    if (filter.cciMin != null) where.push(`s.cci_score >= ${p.add(filter.cciMin)}`);
    if (filter.cciMax != null) where.push(`s.cci_score <= ${p.add(filter.cciMax)}`);
    if (!filter.includeArchived) where.push(`s.archived_at is null`);
    return where;
  }

  /** Newest first: date_creation desc, id desc. One statement. */
  async page(filter: ClaimListFilter, first: number, after?: Keyset): Promise<Page<ClaimEntity>> {
    const p = new Params();
    const where = this.filterSql(filter, p);
    if (after)
      where.push(
        `(s.date_creation, s.id) < (${p.add(after.sortValue)}::timestamp, ${p.add(after.id)}::uuid)`,
      );
    const rows: Record<string, unknown>[] = await this.m().query(
      `select s.*, ${timestampKey('s.date_creation')} as sort_key from sinistres s
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by s.date_creation desc, s.id desc
        limit ${p.add(first + 1)}`,
      p.values,
    );
    return this.toPage(rows, first);
  }

  async count(filter: ClaimListFilter): Promise<number> {
    const p = new Params();
    const where = this.filterSql(filter, p);
    const rows: { n: number }[] = await this.m().query(
      `select count(*)::int as n from sinistres s ${where.length ? `where ${where.join(' and ')}` : ''}`,
      p.values,
    );
    return rows[0]!.n;
  }

  /**
   * The same page (status, first, after) of the claims of many clients in one statement:
   * row_number() per client keeps the first+1 rows of each (the extra row says hasNextPage).
   */
  async pagesByClient(
    clientIds: readonly string[],
    options: { status?: string | null; first: number; after?: Keyset },
  ): Promise<Map<string, Page<ClaimEntity>>> {
    const p = new Params();
    const where = [`s.client_id = any(${p.add(clientIds)}::uuid[])`, `s.archived_at is null`];
    if (options.status) where.push(`s.status_dossier = ${p.add(options.status)}`);
    if (options.after) {
      where.push(
        `(s.date_creation, s.id) < (${p.add(options.after.sortValue)}::timestamp, ${p.add(options.after.id)}::uuid)`,
      );
    }
    const rows: Record<string, unknown>[] = await this.m().query(
      `select x.* from (
         select s.*, ${timestampKey('s.date_creation')} as sort_key,
                row_number() over (partition by s.client_id order by s.date_creation desc, s.id desc) as rn
           from sinistres s where ${where.join(' and ')}
       ) x where x.rn <= ${p.add(options.first + 1)}
       order by x.client_id, x.rn`,
      p.values,
    );
    const byClient = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      const key = String(row.client_id);
      const list = byClient.get(key);
      if (list) list.push(row);
      else byClient.set(key, [row]);
    }
    const pages = await Promise.all(
      clientIds.map((id) => this.toPage(byClient.get(id) ?? [], options.first)),
    );
    return new Map(clientIds.map((id, i) => [id, pages[i]!]));
  }

  async countByClient(clientIds: readonly string[], status?: string | null): Promise<Map<string, number>> {
    const p = new Params();
    const where = [`client_id = any(${p.add(clientIds)}::uuid[])`, `archived_at is null`];
    if (status) where.push(`status_dossier = ${p.add(status)}`);
    const rows: { client_id: string; n: number }[] = await this.m().query(
      `select client_id, count(*)::int as n from sinistres where ${where.join(' and ')} group by client_id`,
      p.values,
    );
    return new Map(rows.map((r) => [r.client_id, r.n]));
  }

  /**
   * Non-archived claims of many contracts, newest first, at most MAX_CONTRACT_CLAIMS (the
   * newest) per contract: row_number() per contract, one statement.
   */
  async findByContracts(contractIds: readonly string[]): Promise<ClaimEntity[]> {
    const rows: Record<string, unknown>[] = await this.m().query(
      `select x.* from (
         select s.*,
                row_number() over (partition by s.contrat_id order by s.date_creation desc, s.id desc) as rn
           from sinistres s where s.contrat_id = any($1::uuid[]) and s.archived_at is null
       ) x where x.rn <= $2
       order by x.date_creation desc, x.id desc`,
      [contractIds, MAX_CONTRACT_CLAIMS],
    );
    return this.claimsOf(rows);
  }

  /** One recommended action, locked for the caller's transaction (take the claim's lock first). */
  async lockAction(manager: EntityManager, id: string): Promise<RecommendedActionEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select * from actions_recommandees where id = $1 for update`,
      [id],
    );
    return rows[0] ? (await this.actionsOf([rows[0]], manager))[0]! : null;
  }

  /** The claim a recommended action belongs to (null: no such action, or one of no claim). */
  async claimIdOfAction(manager: EntityManager, id: string): Promise<string | null> {
    const rows: { sinistre_id: string | null }[] = await manager.query(
      `select sinistre_id from actions_recommandees where id = $1`,
      [id],
    );
    return rows[0]?.sinistre_id ?? null;
  }

  /** `claimId`: the action's claim (its reason is sealed under the claim's key). */
  async updateAction(
    manager: EntityManager,
    claimId: string,
    id: string,
    change: {
      status: string;
      executedAt: Date | null;
      by: { kind: string; id: string };
      at: Date;
      reason: string | null;
    },
  ): Promise<RecommendedActionEntity> {
    const rows: Record<string, unknown>[] = await manager.query(
      `with changed as (
         update actions_recommandees
            set statut = $2, date_execution = $3, statut_par_type = $4, statut_par_id = $5,
                date_statut = $6, motif_statut = $7
          where id = $1 returning *
       ) select * from changed`,
      [
        id,
        change.status,
        change.executedAt,
        change.by.kind,
        change.by.id.slice(0, 200),
        change.at,
        (await this.cipher.sealTexts(claimId, ACTION_REASON, [change.reason], manager))[0],
      ],
    );
    return (await this.actionsOf(rows, manager))[0]!;
  }

  /** A claim's actions, locked (the claim's row lock is taken first by every writer). */
  async lockActionsOf(manager: EntityManager, claimId: string): Promise<RecommendedActionEntity[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select * from actions_recommandees where sinistre_id = $1 order by date_creation, id for update`,
      [claimId],
    );
    return this.actionsOf(rows, manager);
  }

  /**
   * Open actions past their due date whose alert has not fired, of open claims, with their claim
   * locked too; rows another transaction holds are skipped (never waited for: no lock-order
   * deadlock with a writer that takes the claim, then the action).
   */
  async lockOverdueActions(
    manager: EntityManager,
    now: Date,
    limit: number,
  ): Promise<RecommendedActionEntity[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select a.* from actions_recommandees a join sinistres s on s.id = a.sinistre_id
        where a.statut in ('en_attente', 'en_cours') and a.alerte_retard_le is null and a.date_echeance < $1
          and s.archived_at is null and s.status_dossier <> 'fermé'
        order by a.date_echeance, a.id
        limit $2
        for update of a, s skip locked`,
      [now, limit],
    );
    return this.actionsOf(rows, manager);
  }

  async markOverdueAlerted(manager: EntityManager, actionId: string, at: Date): Promise<void> {
    await manager.query(`update actions_recommandees set alerte_retard_le = $2 where id = $1`, [
      actionId,
      at,
    ]);
  }

  /** Appends an alert to the claim's triggers without touching date_modification (not progress). */
  async appendTrigger(manager: EntityManager, claimId: string, trigger: RecordedTrigger): Promise<void> {
    await manager.query(
      `update sinistres set declencheurs = declencheurs || jsonb_build_array($2::jsonb) where id = $1`,
      [claimId, JSON.stringify(trigger)],
    );
  }

  /** Recommended actions of many claims, oldest first (the order they were recommended in). */
  async actionsByClaims(claimIds: readonly string[]): Promise<RecommendedActionEntity[]> {
    const rows: Record<string, unknown>[] = await this.m().query(
      `select * from actions_recommandees where sinistre_id = any($1::uuid[]) order by date_creation, id`,
      [claimIds],
    );
    return this.actionsOf(rows);
  }

  private async toPage(rows: Record<string, unknown>[], first: number): Promise<Page<ClaimEntity>> {
    const kept = rows.slice(0, first);
    const claims = await this.claimsOf(kept);
    return {
      hasNextPage: rows.length > first,
      rows: kept.map((row, i) => ({
        entity: claims[i]!,
        key: { sortValue: String(row.sort_key), id: String(row.id) },
      })),
    };
  }
}
