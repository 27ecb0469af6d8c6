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
