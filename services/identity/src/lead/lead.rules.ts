// Lead rules (seed 2, "leads": master identity keyed by the lower-case e-mail). Pure.
import { ValidationError, type FieldProblem } from '@crm/subgraph';
import { collapseSpaces, normalizeEmail, normalizePersonName, normalizePhone } from '@crm/contact';

export interface LeadState {
  email: string;
  phone: string | null;
  name: string | null;
  source: string;
  /** first interaction */
  createdAt: Date;
  /** latest interaction */
  updatedAt: Date;
  /** when the current phone was given: a later touch replaces it, an earlier one cannot */
  phoneAt: Date | null;
  /** when the current name was given */
  nameAt: Date | null;
}

/** One interaction that names a lead, as it arrives (a partner's case event, a form...). */
export interface LeadTouchInput {
  email: string;
  phone?: string | null;
  name?: string | null;
  source: string;
  /** when the interaction happened (not when it is processed) */
  at: Date;
}

export interface LeadTouch {
  email: string;
  phone: string | null;
  name: string | null;
  source: string;
  at: Date;
}

/** Normalizes a touch; every problem at once (VALIDATION.FAILED), nothing half-applied. */
export function normalizeLeadTouch(input: LeadTouchInput): LeadTouch {
  const problems: FieldProblem[] = [];
  const email = normalizeEmail(input.email, 200);
  if (email === null)
    problems.push({ field: 'email', message: 'must be a valid e-mail address (at most 200 characters)' });
  let phone: string | null = null;
  if (input.phone != null && input.phone.trim() !== '') {
    phone = normalizePhone(input.phone);
    if (phone === null)
      problems.push({
        field: 'phone',
        message: 'must be a phone number: French ("06 12 34 56 78") or international with its country code',
      });
  }
  const name = input.name == null ? null : normalizePersonName(input.name);
  if (name !== null && name.length > 200)
    problems.push({ field: 'name', message: 'must be at most 200 characters' });
  const source = collapseSpaces(input.source);
  if (source === null || source.length > 100)
    problems.push({ field: 'source', message: 'must be 1 to 100 characters' });
  if (Number.isNaN(input.at.getTime())) problems.push({ field: 'at', message: 'must be a valid instant' });
  if (problems.length > 0 || email === null || source === null) throw new ValidationError(problems);
  return { email, phone, name, source, at: input.at };
}

interface Stamped<T> {
  value: T;
  at: Date;
}

/** Last writer wins; equal instants are settled by the value, so the result never depends on order. */
function latest<T extends string>(a: Stamped<T> | null, b: Stamped<T> | null): Stamped<T> | null {
  if (a === null) return b;
  if (b === null) return a;
  const diff = a.at.getTime() - b.at.getTime();
  if (diff !== 0) return diff > 0 ? a : b;
  return a.value >= b.value ? a : b;
}

/** First writer wins (created_at and the first source), equal instants settled by the value. */
function earliest<T extends string>(a: Stamped<T>, b: Stamped<T>): Stamped<T> {
  const diff = a.at.getTime() - b.at.getTime();
  if (diff !== 0) return diff < 0 ? a : b;
  return a.value <= b.value ? a : b;
}

const stamped = <T extends string>(value: T | null, at: Date | null): Stamped<T> | null =>
  value === null || at === null ? null : { value, at };

/**
 * The lead after one more touch. Each field is a last-writer-wins register stamped with the
 * instant of the interaction that set it, so merging is commutative, associative and
 * idempotent: events that arrive late, twice or out of order give the same lead.
 * - updated_at is the latest interaction and never moves back;
 * - phone and name: the value from the latest touch that carried one (a touch without it
 *   erases nothing);
 * - created_at is the first interaction and source ("origine première") is that touch's source.
 * `changed` is false when the touch adds nothing (a replay): nothing to write, no event.
 */
export function mergeLead(
  existing: LeadState | null,
  touch: LeadTouch,
): { next: LeadState; created: boolean; changed: boolean } {
  // a value without its instant (a row written by hand) counts as given at the first interaction
  const phone = latest(
    stamped(existing?.phone ?? null, existing ? (existing.phoneAt ?? existing.createdAt) : null),
    stamped(touch.phone, touch.at),
  );
  const name = latest(
    stamped(existing?.name ?? null, existing ? (existing.nameAt ?? existing.createdAt) : null),
    stamped(touch.name, touch.at),
  );
  const first = existing
    ? earliest({ value: existing.source, at: existing.createdAt }, { value: touch.source, at: touch.at })
    : { value: touch.source, at: touch.at };
  const updatedAt =
    existing && existing.updatedAt.getTime() >= touch.at.getTime() ? existing.updatedAt : touch.at;
  const next: LeadState = {
    email: existing?.email ?? touch.email,
    phone: phone?.value ?? null,
    phoneAt: phone?.at ?? null,
    name: name?.value ?? null,
    nameAt: name?.at ?? null,
    source: first.value,
    createdAt: first.at,
    updatedAt,
  };
  if (existing === null) return { next, created: true, changed: true };
  const sameTime = (a: Date | null, b: Date | null) =>
    a === null ? b === null : b !== null && a.getTime() === b.getTime();
  const changed =
    next.phone !== existing.phone ||
    next.name !== existing.name ||
    next.source !== existing.source ||
    !sameTime(next.phoneAt, existing.phoneAt) ||
    !sameTime(next.nameAt, existing.nameAt) ||
    !sameTime(next.createdAt, existing.createdAt) ||
    !sameTime(next.updatedAt, existing.updatedAt);
  return { next, created: false, changed };
}

/** The most case ids one erasure event carries (LeadErased.caseIds, ClientErased.leadCaseIds). */
export const CASES_PER_EVENT = 500;

/**
 * An erased lead's case ids in the chunks its events carry, in order: always one chunk at least
 * (empty for a lead without cases, so that its erasure is still on record), each of at most
 * CASES_PER_EVENT ids.
 */
export function caseChunks(caseIds: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < caseIds.length; i += CASES_PER_EVENT)
    chunks.push(caseIds.slice(i, i + CASES_PER_EVENT));
  return chunks.length > 0 ? chunks : [[]];
}
