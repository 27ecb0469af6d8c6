import type { PersonalDataVault } from '@crm/privacy';
import { type EntityManager } from 'typeorm';
import {
  audited,
  decodeCursor,
  encodeCursor,
  pageSize,
  type ServiceRuntime,
  type AuditNotes,
  type Caller,
  connection,
  isUuid,
  type Connection,
} from '@crm/subgraph';
import { AdvisorRepository } from '../advisor/advisor.repository';
import { toAdvisorView, type AdvisorView } from '../advisor/advisor.mapping';
import {
  advisorAssigned,
  escalationQueued,
  escalationResolved,
  escalationStarted,
} from './escalation.events';
import {
  type AssignEscalationInput,
  type EscalateClaimInput,
  type ResolveEscalationInput,
  type StartEscalationInput,
} from './escalation.inputs';
import {
  assignmentMode,
  escalationStatus,
  toAssignmentView,
  toEscalationView,
  type AssignmentMode,
  type AssignmentView,
  type EscalationStatus,
  type EscalationView,
} from './escalation.mapping';
import { type CallRequestInput } from './call-request';
import { type CallBackInput, type EntryRef } from './conversation-events';
import { type ClaimLink, type HandoffInput } from './handoff-request';
import { EscalationRepository, type QueueCursor } from './escalation.repository';
import {
  checkAssignable,
  checkHolderOrSupervisor,
  checkResolvable,
  decideAssignment,
  decideStart,
  escalationPriority,
  estimateWaitSeconds,
  normalizeReasons,
  pickAdvisor,
  reasonsForSpecialty,
  WAIT_HISTORY_MS,
} from './escalation.rules';
import { type EscalationEntity } from './escalation.entity';
import { escalationError, notFound } from '../errors';

export type QueuePage = Connection<EscalationView>;

/** Where a WAITING entry stands (EscalationEntry.position, estimatedWaitSeconds). */
export interface WaitEstimate {
  position: number;
  estimatedWaitSeconds: number;
}

/** What an ownership change did to the conversation's entry (ConversationOwnershipChanged). */
export type ConversationEnd =
  | { kind: 'resolved'; entry: EscalationView; taken: EscalationView[] }
  /** no open entry: resolved already (a replay, or by hand), or never queued */
  | { kind: 'none' }
  /** the entry still waits for an advisor: nobody holds it, so nobody can resolve it */
  | { kind: 'waiting'; entry: EscalationView };

const cursorOf = (e: EscalationView): string =>
  encodeCursor(`${e.priority}|${e.queuedAt.toISOString()}`, e.id);

function parseCursor(cursor: string): QueueCursor {
  const { sortValue, id } = decodeCursor(cursor);
  const [priority, at] = sortValue.split('|');
  const queuedAt = new Date(at ?? '');
  if (!/^\d{1,3}$/.test(priority ?? '') || Number.isNaN(queuedAt.getTime()) || !isUuid(id)) {
    throw escalationError('PAGINATION.INVALID_CURSOR', 'invalid cursor');
  }
  return { priority: Number(priority), queuedAt, id };
}

export class EscalationService {
  readonly repository: EscalationRepository;
  private readonly advisors: AdvisorRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
    vault: PersonalDataVault,
    // millisecond precision, like every instant this service writes (keyset cursors rely on it)
    private readonly clock: () => Date = runtime.clock,
  ) {
    this.repository = new EscalationRepository(runtime.dataSource.manager, vault);
    this.advisors = new AdvisorRepository(runtime.dataSource.manager);
  }

  async byIds(ids: readonly string[]): Promise<EscalationView[]> {
    return (await this.repository.findByIds(ids)).map(toEscalationView);
  }

  async byClaimIds(claimIds: readonly string[]): Promise<EscalationView[]> {
    return (await this.repository.findByClaimIds(claimIds)).map(toEscalationView);
  }

  async byCaseIds(caseIds: readonly string[]): Promise<EscalationView[]> {
    return (await this.repository.findByCaseIds(caseIds)).map(toEscalationView);
  }

  async byAdvisorIds(advisorIds: readonly string[], status?: EscalationStatus): Promise<EscalationView[]> {
    const rows = await this.repository.findByAdvisorIds(
      advisorIds,
      status ? escalationStatus.toDb(status) : undefined,
    );
    return rows.map(toEscalationView);
  }

  async assignmentsOf(escalationIds: readonly string[]): Promise<AssignmentView[]> {
    return (await this.repository.findAssignments(escalationIds)).map(toAssignmentView);
  }

  /**
   * Position and estimated wait of the WAITING entries among `ids` (the others are absent):
   * two statements for any number of entries (positions, then the last hour's history, read
   * only when one of them waits), the estimate itself pure (estimateWaitSeconds).
   */
  async waitEstimates(ids: readonly string[]): Promise<Map<string, WaitEstimate>> {
    const positions = await this.repository.waitingPositions(ids);
    if (!positions.size) return new Map();
    const now = this.clock();
    const history = await this.repository.waitHistory(new Date(now.getTime() - WAIT_HISTORY_MS), now);
    return new Map(
      [...positions].map(([id, position]) => [
        id,
        { position, estimatedWaitSeconds: estimateWaitSeconds(position, history) },
      ]),
    );
  }

  /** GET /api/v1/escalade/queue: priority first, then the longest wait. */
  async queue(
    status: EscalationStatus,
    args: { first?: number | null; after?: string | null },
  ): Promise<QueuePage> {
    const size = pageSize(args);
    const after = args.after ? parseCursor(args.after) : undefined;
    const dbStatus = escalationStatus.toDb(status);
    const rows = (await this.repository.queue(dbStatus, size + 1, after)).map(toEscalationView);
    const page = rows.slice(0, size);
    // counted only when asked for
    return connection(
      page.map((node) => ({ cursor: cursorOf(node), node })),
      rows.length > size,
      () => this.repository.count(dbStatus),
    );
  }

  /**
   * POST /api/v1/escalade/:sinistre_id. Idempotent per claim: while the claim has an open
   * entry, escalating again returns that entry and publishes nothing. A new entry is offered
   * to an advisor in the same transaction (escalateIn), so it comes back ASSIGNED when someone
   * had room. `audit`: the request's notes, which get what a new entry was queued with (and its
   * advisor when it was assigned at once), as new values sealed under the entry's key, once it
   * has committed; the claim's open entry, returned again, changed nothing and gets none.
   */
  async escalate(input: EscalateClaimInput, caller: Caller, audit?: AuditNotes): Promise<EscalationView> {
    // an open entry resolved between our insert attempt and our read: try again (rare)
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.runtime.dataSource.transaction(async (tx) => {
        const escalated = await this.escalateOrFindIn(tx, input, caller);
        if (!escalated) return null;
        const { entry, created } = escalated;
        return {
          entry,
          changes: audit && created ? await this.repository.cipher.auditChanges({}, entry, tx) : null,
        };
      });
      if (!result) continue;
      // the record's entity is the result's id: escalateClaim's input has none
      if (result.changes) audit?.changed(result.entry.id, result.changes);
      return result.entry;
    }
    throw escalationError('ESCALATION.CONFLICT', 'the claim escalation kept changing; try again');
  }

  /**
   * Creates the claim's entry in the caller's transaction (the ClaimEscalationRequested
   * consumer passes its own, so the entry commits with the event's idempotency row), then
   * assigns the head of the queue in that same transaction. Same transaction rather than
   * after commit: a consumer cannot act after its own commit, and the entry then never exists
   * committed-but-unoffered. Returns the entry (ASSIGNED if it was the one assigned), the
   * claim's open entry when it already had one, or null when that entry closed meanwhile.
   */
  async escalateIn(
    tx: EntityManager,
    input: EscalateClaimInput,
    caller: Caller,
  ): Promise<EscalationView | null> {
    return (await this.escalateOrFindIn(tx, input, caller))?.entry ?? null;
  }

  /** escalateIn, telling a new entry (`created`) from the claim's open one returned again. */
  private async escalateOrFindIn(
    tx: EntityManager,
    input: EscalateClaimInput,
    caller: Caller,
  ): Promise<{ entry: EscalationView; created: boolean } | null> {
    const reasons = normalizeReasons(input.reasons);
    if (!reasons.length) {
      throw escalationError('VALIDATION.FAILED', 'reasons: give at least one reason', {
        problems: [{ field: 'reasons', message: 'give at least one reason' }],
      });
    }
    const priority = escalationPriority({ reasons, cciScore: input.cciScore ?? null });
    // the claim's conversation link (linkClaimIn) and this insert see each other, in either order
    await this.repository.lockClaim(tx, input.claimId);
    const now = this.clock();
    const inserted = await this.repository.insertIfNoneOpen(tx, {
      claimId: input.claimId,
      clientId: input.clientId ?? null,
      reasons,
      priority,
      queuedAt: now,
    });
    if (!inserted) {
      const open = await this.repository.findOpenByClaim(tx, input.claimId);
      return open ? { entry: toEscalationView(open), created: false } : null;
    }
    const entry = await this.offerNewEntry(tx, toEscalationView(inserted), input.cciScore, caller, now);
    return { entry, created: true };
  }

  /**
   * A lead's call request (CaseCallRequested) as an entry about the case, in the consumer's
   * transaction, then offered like a claim's entry (escalateIn). One open entry per case: a
   * second request while one is open returns that entry and publishes nothing. The entry
   * waits since the request (clamped to now: a partner clock ahead cannot jump the queue).
   */
  async queueCallRequestIn(
    tx: EntityManager,
    input: CallRequestInput,
    caller: Caller,
  ): Promise<EscalationView | null> {
    const now = this.clock();
    const inserted = await this.repository.insertCallRequestIfNoneOpen(tx, {
      caseId: input.caseId,
      leadEmail: input.leadEmail,
      leadPhone: input.leadPhone,
      callBackBy: input.callBackBy,
      details: input.details,
      reasons: input.reasons,
      priority: escalationPriority({ reasons: input.reasons }),
      queuedAt: input.requestedAt < now ? input.requestedAt : now,
    });
    if (!inserted) {
      const open = await this.repository.findOpenByCase(tx, input.caseId);
      return open ? toEscalationView(open) : null;
    }
    return this.offerNewEntry(tx, toEscalationView(inserted), undefined, caller, now);
  }

  /**
   * A new entry's EscalationQueued, then the head of the queue offered in the same transaction:
   * the entry comes back ASSIGNED when it was the head and an advisor had room.
   */
  private async offerNewEntry(
    tx: EntityManager,
    entry: EscalationView,
    cciScore: number | undefined,
    caller: Caller,
    now: Date,
  ): Promise<EscalationView> {
    await this.publish(tx, escalationQueued(entry, cciScore, caller, now));
    // the head of the queue, which is this entry unless older or more urgent ones wait
    const assigned = await this.assignHeadIn(tx, caller);
    return assigned?.id === entry.id ? assigned : entry;
  }

  /**
   * A bot conversation's transfer (HandoffRequested) as an entry about the conversation, in
   * the consumer's transaction, then offered like a claim's entry (escalateIn). One open entry
   * per conversation: a second transfer while one is open returns it and publishes nothing.
   * The entry waits since the transfer (clamped to now, as a call request's).
   */
  async queueHandoffIn(
    tx: EntityManager,
    input: HandoffInput,
    caller: Caller,
  ): Promise<EscalationView | null> {
    const now = this.clock();
    const inserted = await this.repository.insertHandoffIfNoneOpen(tx, {
      conversationId: input.conversationId,
      clientId: input.clientId,
      reasons: input.reasons,
      priority: escalationPriority({ reasons: input.reasons }),
      queuedAt: input.requestedAt < now ? input.requestedAt : now,
    });
    if (!inserted) {
      const open = await this.repository.findOpenByConversation(tx, input.conversationId);
      return open ? toEscalationView(open) : null;
    }
    return this.offerNewEntry(tx, toEscalationView(inserted), undefined, caller, now);
  }

  /**
   * An escalated claim's transfer (HandoffRequested, reason ESCALATED), in the consumer's
   * transaction: the claim was declared in this conversation. The link is kept
   * (sinistres_conversations) for the entry ClaimEscalationRequested creates later, and the
   * claim's open entry, if it exists already, refers to the conversation now. Either arrival
   * order ends the same (the claim's lock serializes this with escalateIn). No event: the
   * conversation is the one that told us. Returns the entry's id when it changed.
   */
  async linkClaimIn(tx: EntityManager, link: ClaimLink): Promise<string | null> {
    await this.repository.lockClaim(tx, link.claimId);
    const conversationId = await this.repository.upsertClaimConversation(tx, link);
    // a later transfer of the claim is kept: its conversation is where the client waits
    if (!conversationId) return null;
    return this.repository.linkClaimConversation(tx, link.claimId, conversationId);
  }

  /**
   * CallBackOffered, in the consumer's transaction: nobody took the transfer in time and the
   * client was promised a call-back; the open entry keeps the number, the deadline and when it
   * was offered, and stays in the queue (an advisor takes it like any entry). A later offer
   * replaces an earlier one; an older offer arriving late changes nothing. Null when the
   * conversation has no open entry (resolved meanwhile).
   */
  async offerCallBackIn(tx: EntityManager, offer: CallBackInput): Promise<EscalationView | null> {
    const row = await this.repository.lockOpenFor(tx, offer.ref);
    if (!row) return null;
    if (row.callBackOfferedAt && row.callBackOfferedAt > offer.offeredAt) return toEscalationView(row);
    row.offeredCallBackPhone = offer.phone;
    row.offeredCallBackBy = offer.by;
    row.callBackOfferedAt = offer.offeredAt;
    return toEscalationView(await this.repository.save(tx, row));
  }

  /**
   * The advisor let the conversation go (ConversationOwnershipChanged: HANDED_BACK or
   * CLOSED_BY_ADVISOR), in the consumer's transaction: its open entry is resolved exactly as
   * resolveEscalation does (the advisor's slot freed, the assignment ended, EscalationResolved),
   * then the advisor, if AVAILABLE, takes waiting entries as after a resolution (fillAdvisor).
   * Both in this one transaction, unlike resolve(): a consumer cannot act after its own commit,
   * so the auto-assignment lock is taken first, before the entry's and the advisor's rows (the
   * lock order of every automatic assignment), and a failed assignment rolls the resolution
   * back with it, to be retried with the event.
   */
  async endConversationIn(
    tx: EntityManager,
    ref: EntryRef,
    resolution: string,
    caller: Caller,
  ): Promise<ConversationEnd> {
    await this.repository.lockAutoAssignment(tx);
    const row = await this.repository.lockOpenFor(tx, ref);
    if (!row) return { kind: 'none' };
    if (row.status === escalationStatus.toDb('WAITING'))
      return { kind: 'waiting', entry: toEscalationView(row) };
    const entry = await this.resolveLockedIn(tx, row, resolution, caller);
    const taken: EscalationView[] = [];
    for (;;) {
      const next = await this.takeNextIn(tx, entry.advisorId!, caller);
      if (!next) return { kind: 'resolved', entry, taken };
      taken.push(next);
    }
  }

  /**
   * PUT /api/v1/escalade/:id/assigner: manual assignment or reassignment. Locks the entry,
   * then the advisors involved in id order, so capacity checks and counters cannot race.
   * `audit`: the request's notes, which get the fields the assignment changed (status, advisor,
   * when), old and new, sealed under the entry's key, once it has committed.
   */
  async assign(input: AssignEscalationInput, caller: Caller, audit?: AuditNotes): Promise<EscalationView> {
    let freed: string | null = null;
    // the record's entity is the result's id (the input names it escalationId)
    const assigned = await audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.repository.lockById(tx, input.escalationId);
      if (!row) throw notFound('escalation', input.escalationId);
      const entry = toEscalationView(row);
      checkAssignable(entry);
      const locked = await this.advisors.lockByIds(tx, [
        input.advisorId,
        ...(entry.advisorId ? [entry.advisorId] : []),
      ]);
      const target = locked.find((a) => a.id === input.advisorId);
      if (!target) throw notFound('advisor', input.advisorId);
      const advisor = toAdvisorView(target);
      const decision = decideAssignment(entry, advisor, 'MANUAL');
      if (decision.kind === 'unchanged') return { result: entry, entityId: entry.id };
      freed = decision.previousAdvisorId;
      const saved = await this.applyAssignment(
        tx,
        row,
        advisor,
        decision.mode,
        decision.previousAdvisorId,
        caller,
      );
      return {
        result: saved,
        entityId: saved.id,
        seal: () => this.repository.cipher.auditChanges(entry, saved, tx),
      };
    });
    // a reassignment frees a slot of the previous holder, like a resolution
    const previous = freed;
    if (previous) await this.afterCommit('assignEscalation', () => this.fillAdvisor(previous, caller));
    return assigned;
  }

  /**
   * Automatic assignment of the head of the queue (priority, then waiting time) to the advisor
   * pickAdvisor chooses (specialty match, then least loaded). Returns null when the queue is
   * empty or nobody can take an entry now.
   */
  async assignNext(caller: Caller): Promise<EscalationView | null> {
    return this.runtime.dataSource.transaction((tx) => this.assignHeadIn(tx, caller));
  }

  /**
   * Lock order: the auto-assignment lock, then the entry (SKIP LOCKED: an entry a manual
   * assignment holds is left to it), then the advisors in id order, as assign() does after
   * its entry: no cycle.
   */
  private async assignHeadIn(tx: EntityManager, caller: Caller): Promise<EscalationView | null> {
    await this.repository.lockAutoAssignment(tx);
    const row = await this.repository.lockNextWaiting(tx);
    if (!row) return null;
    const candidates = (await this.advisors.lockAvailableWithRoom(tx)).map(toAdvisorView);
    const advisor = pickAdvisor(candidates, row.reasons);
    if (!advisor) return null;
    const decision = decideAssignment(toEscalationView(row), advisor, 'AUTO');
    if (decision.kind === 'unchanged') return toEscalationView(row);
    return this.applyAssignment(tx, row, advisor, decision.mode, decision.previousAdvisorId, caller);
  }

  /**
   * Assigns waiting entries until the queue is empty or nobody has room, one short transaction
   * per entry (the periodic sweep, and tests). Returns how many were assigned.
   */
  async drainQueue(caller: Caller, max = 1000): Promise<number> {
    let assigned = 0;
    while (assigned < max && (await this.assignNext(caller))) assigned++;
    return assigned;
  }

  /**
   * An advisor just got room (became AVAILABLE, was registered, or closed an entry): while the
   * advisor is AVAILABLE with room, they take the waiting entry pickEntry chooses (specialty
   * first, then the queue's order). One short transaction per entry, run by the callers right
   * after their own commit. Returns the entries assigned.
   */
  async fillAdvisor(advisorId: string, caller: Caller): Promise<EscalationView[]> {
    const taken: EscalationView[] = [];
    for (;;) {
      const next = await this.runtime.dataSource.transaction((tx) => this.takeNextIn(tx, advisorId, caller));
      if (!next) return taken;
      taken.push(next);
    }
  }

  /**
   * One entry for an advisor with room (fillAdvisor's step), in the caller's transaction: the
   * auto-assignment lock (again, harmlessly, when the caller holds it), the advisor, then the
   * entry pickEntry chooses. Null when the advisor is not AVAILABLE, is full, or nothing waits.
   */
  private async takeNextIn(
    tx: EntityManager,
    advisorId: string,
    caller: Caller,
  ): Promise<EscalationView | null> {
    await this.repository.lockAutoAssignment(tx);
    const [locked] = await this.advisors.lockByIds(tx, [advisorId]);
    if (!locked) return null;
    const advisor = toAdvisorView(locked);
    if (advisor.status !== 'AVAILABLE' || advisor.activeClaims >= advisor.capacity) return null;
    const row = await this.repository.lockNextWaitingFor(tx, reasonsForSpecialty(advisor.specialty));
    if (!row) return null;
    const decision = decideAssignment(toEscalationView(row), advisor, 'AUTO');
    if (decision.kind === 'unchanged') return null;
    return this.applyAssignment(tx, row, advisor, decision.mode, decision.previousAdvisorId, caller);
  }

  /** The writes of an assignment decided under locks: counters, history, entry, event. */
  private async applyAssignment(
    tx: EntityManager,
    row: EscalationEntity,
    advisor: AdvisorView,
    mode: AssignmentMode,
    previousAdvisorId: string | null,
    caller: Caller,
  ): Promise<EscalationView> {
    const now = this.clock();
    if (previousAdvisorId) {
      await this.advisors.addActiveClaims(tx, previousAdvisorId, -1);
      await this.repository.closeOpenAssignment(tx, row.id, now);
    }
    await this.advisors.addActiveClaims(tx, advisor.id, +1);
    await this.repository.openAssignment(tx, {
      escalationId: row.id,
      advisorId: advisor.id,
      startedAt: now,
      mode: assignmentMode.toDb(mode),
    });
    // a reassigned entry waits for its new advisor to take it up
    row.status = escalationStatus.toDb('ASSIGNED');
    row.advisorId = advisor.id;
    row.assignedAt = now;
    const saved = toEscalationView(await this.repository.save(tx, row));
    await this.publish(tx, advisorAssigned(saved, advisor, mode, previousAdvisorId, caller, now));
    return saved;
  }

  /**
   * The holder takes the entry up: ASSIGNED -> IN_PROGRESS (a repeat changes nothing). `audit`:
   * the request's notes, which get the status, old and new, sealed under the entry's key, once
   * it has committed.
   */
  async start(input: StartEscalationInput, caller: Caller, audit?: AuditNotes): Promise<EscalationView> {
    return audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.repository.lockById(tx, input.escalationId);
      if (!row) throw notFound('escalation', input.escalationId);
      const entry = toEscalationView(row);
      const starts = decideStart(entry);
      checkHolderOrSupervisor(entry, caller.principal);
      if (!starts) return { result: entry, entityId: entry.id };
      row.status = escalationStatus.toDb('IN_PROGRESS');
      const saved = toEscalationView(await this.repository.save(tx, row));
      await this.publish(tx, escalationStarted(saved, caller, this.clock()));
      return {
        result: saved,
        entityId: saved.id,
        seal: () => this.repository.cipher.auditChanges(entry, saved, tx),
      };
    });
  }

  /** Closes an entry: the advisor's slot is freed and the assignment ends. */
  /**
   * `audit`: the request's notes, which get the status and the resolution, old and new, sealed
   * under the entry's key, once the resolution has committed.
   */
  async resolve(input: ResolveEscalationInput, caller: Caller, audit?: AuditNotes): Promise<EscalationView> {
    const resolved = await audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.repository.lockById(tx, input.escalationId);
      if (!row) throw notFound('escalation', input.escalationId);
      const before = { status: escalationStatus.fromDb(row.status), resolution: row.resolution };
      const saved = await this.resolveLockedIn(tx, row, input.resolution, caller);
      const after = { status: saved.status, resolution: saved.resolution };
      return {
        result: saved,
        entityId: saved.id,
        seal: () => this.repository.cipher.auditResolution(saved.id, before, after, tx),
      };
    });
    // the freed slot is filled right after the commit (see afterCommit)
    await this.afterCommit('resolveEscalation', () => this.fillAdvisor(resolved.advisorId!, caller));
    return resolved;
  }

  /**
   * The resolution of an entry the caller's transaction has locked (resolve, endConversationIn):
   * checked (held, not resolved; the holder or a supervisor), the advisor's row locked and his
   * slot freed, the assignment ended, EscalationResolved.
   */
  private async resolveLockedIn(
    tx: EntityManager,
    row: EscalationEntity,
    resolution: string,
    caller: Caller,
  ): Promise<EscalationView> {
    const entry = toEscalationView(row);
    checkResolvable(entry);
    checkHolderOrSupervisor(entry, caller.principal);
    const advisorId = row.advisorId!;
    await this.advisors.lockByIds(tx, [advisorId]);
    const now = this.clock();
    await this.advisors.addActiveClaims(tx, advisorId, -1);
    await this.repository.closeOpenAssignment(tx, row.id, now);
    row.status = escalationStatus.toDb('RESOLVED');
    row.resolvedAt = now;
    row.resolution = resolution;
    const saved = toEscalationView(await this.repository.save(tx, row));
    // its person erased (its key shredded): save() kept no text about him, and
    // EscalationResolved goes without one (v4), so it needs no key and reaches its consumers
    await this.publish(tx, escalationResolved(saved, caller, now));
    return saved;
  }

  /**
   * Automatic assignment that follows a committed change (an advisor's status, a resolution).
   * After the commit, in its own transactions, rather than inside: the change must not be
   * undone because an assignment failed, and the auto-assignment lock must come before any
   * row lock (these transactions already hold the advisor's). A failure is logged, not
   * returned: the change itself succeeded, and the periodic sweep (service.ts) assigns what
   * was missed, as it does after a crash between the commit and this call.
   */
  async afterCommit(what: string, assign: () => Promise<unknown>): Promise<void> {
    try {
      await assign();
    } catch (err) {
      this.runtime.logger.error({ err, what }, 'automatic assignment after commit failed');
    }
  }

  private publish(tx: EntityManager, event: Parameters<ServiceRuntime['events']['outbox']['publish']>[1]) {
    return this.runtime.events.outbox.publish(tx, event);
  }
}
