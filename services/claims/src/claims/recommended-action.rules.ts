// What an advisor may do with a recommended action (seed `actions_recommandees`: statut,
// date_execution). Pure: the service applies it under the claim's row lock.
import type { ActionStatus } from './claim.mapping';
import { claimsError } from '../errors';

/** The statuses an advisor sets; PENDING is where an action starts and never comes back to. */
export const SETTABLE_ACTION_STATUSES = ['IN_PROGRESS', 'DONE', 'IGNORED'] as const;
export type SettableActionStatus = (typeof SETTABLE_ACTION_STATUSES)[number];

const FINAL: readonly ActionStatus[] = ['DONE', 'IGNORED'];

/**
 * The action's new status and execution date, or null when it already stands there (the
 * call is idempotent: a double click changes nothing). DONE and IGNORED are final:
 * CLAIM.ACTION_CLOSED. DONE records when it was done; IGNORED was never executed.
 */
export function decideActionStatus(
  action: { id: string; status: ActionStatus; executedAt: Date | null },
  to: SettableActionStatus,
  now: Date,
): { status: SettableActionStatus; executedAt: Date | null } | null {
  if (action.status === to) return null;
  if (FINAL.includes(action.status)) {
    throw claimsError(
      'CLAIM.ACTION_CLOSED',
      `recommended action ${action.id} is ${action.status.toLowerCase()}: it no longer changes`,
      { id: action.id, status: action.status, to },
    );
  }
  return { status: to, executedAt: to === 'DONE' ? now : null };
}

/** Days an action has, by priority, from its creation (its due date, date_echeance). */
export const ACTION_DUE_DAYS: Record<'haute' | 'normale' | 'basse', number> = {
  haute: 2,
  normale: 5,
  basse: 10,
};
const DAY_MS = 86_400_000;

export function dueAtOf(priority: string, createdAt: Date): Date {
  const days = ACTION_DUE_DAYS[priority as keyof typeof ACTION_DUE_DAYS] ?? ACTION_DUE_DAYS.normale;
  return new Date(createdAt.getTime() + days * DAY_MS);
}

/** Changes a rule makes, by the system (who: this actor; why: the reason). */
export const ACTION_RULES_ACTOR = { kind: 'system', id: 'claims.actions' } as const;

/** What the rules read of a claim once a command changed it. */
export interface ActionFacts {
  status: ActionClaimStatus;
  /** the constat's number, when this change recorded it (null: no constat received by it) */
  constatReceived: string | null;
  photoUrls: readonly string[] | null;
  /** kinds of the activities recorded by hand (DOCUMENTS_RECEIVED...); read only when readsRecordedKinds */
  recordedKinds: readonly string[];
  /** the cause of the claim's last status move (ReimbursementSettled...), when any */
  lastCause: string | null;
}
type ActionClaimStatus =
  'NEW' | 'IN_PROGRESS' | 'EXPERT_REVIEW' | 'VALIDATION' | 'CLOSED' | 'ESCALATED' | 'AWAITING_CLIENT';

/** An action as the rules see it (French type, graph status). */
export interface ActionState {
  id: string;
  type: string;
  status: ActionStatus;
}

export interface ActionPlan {
  add: { type: 'expertise' | 'paiement'; priority: 'haute'; description: string }[];
  close: { id: string; status: 'DONE' | 'IGNORED'; reason: string }[];
}

const isOpen = (a: ActionState) => a.status === 'PENDING' || a.status === 'IN_PROGRESS';

/**
 * Whether reconcileActions reads `recordedKinds` for these actions: only an open `info_client`
 * (documents received retire it). The service loads the kinds only then (one query fewer on
 * every other change of a claim).
 */
export const readsRecordedKinds = (actions: readonly ActionState[]): boolean =>
  actions.some((a) => a.type === 'info_client' && isOpen(a));

/**
 * Actions follow the facts (issue 19): a constat received retires `envoyer_constat` (done),
 * documents received retire `info_client` (done); a claim in expert review gets `expertise`,
 * a validated amount gets `paiement` (each once); a closed claim closes what is still open
 * (`paiement` done when the reimbursement was paid, the rest ignored). Pure.
 */
export function reconcileActions(facts: ActionFacts, actions: readonly ActionState[]): ActionPlan {
  const plan: ActionPlan = { add: [], close: [] };
  const has = (type: string) => actions.some((a) => a.type === type);
  const open = actions.filter(isOpen);
  if (facts.status === 'CLOSED') {
    for (const a of open)
      plan.close.push(
        a.type === 'paiement' && facts.lastCause === 'ReimbursementSettled'
          ? { id: a.id, status: 'DONE', reason: 'Remboursement versé' }
          : { id: a.id, status: 'IGNORED', reason: 'Dossier fermé' },
      );
    return plan;
  }
  for (const a of open) {
    if (a.type === 'envoyer_constat' && facts.constatReceived)
      plan.close.push({
        id: a.id,
        status: 'DONE',
        reason: `Constat reçu (n° ${facts.constatReceived})`,
      });
    const documents =
      (facts.photoUrls?.length ?? 0) > 0 || facts.recordedKinds.includes('DOCUMENTS_RECEIVED');
    if (a.type === 'info_client' && documents)
      plan.close.push({ id: a.id, status: 'DONE', reason: 'Documents reçus' });
  }
  if (facts.status === 'EXPERT_REVIEW' && !has('expertise'))
    plan.add.push({
      type: 'expertise',
      priority: 'haute',
      description: 'Missionner un expert pour évaluer le dossier',
    });
  if (facts.status === 'VALIDATION' && !has('paiement'))
    plan.add.push({
      type: 'paiement',
      priority: 'haute',
      description: 'Verser le remboursement du montant validé',
    });
  return plan;
}

/** « Action en retard » : the seed's « Alerte (délai dépassé) » for one action past its due date. */
export function overdueReason(description: string | null, type: string, dueAt: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${p(dueAt.getUTCDate())}/${p(dueAt.getUTCMonth() + 1)}/${dueAt.getUTCFullYear()}`;
  return `Action en retard : ${description ?? type} (échéance du ${day} dépassée)`.slice(0, 500);
}
