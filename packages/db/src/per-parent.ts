// The bound of a list per parent (a claim's reimbursements, an advisor's assignments...), kept
// in the statement that reads a whole batch of parents: a window numbers each parent's rows in
// the list's order and the first `max` of each are kept. One round trip for N parents, and the
// bound holds per parent (docs/security.md, Limits).
import { assertIdentifier } from './urls';

export interface PerParent {
  /** the table the rows come from, and the column naming their parent */
  table: string;
  parent: string;
  /** the list's order, on alias `k` (e.g. `k.date_creation DESC, k.id DESC`): its first rows are kept */
  order: string;
  parentIds: readonly string[];
  max: number;
  /** a condition on `k` the rows must meet before they are counted (its parameters are the caller's) */
  filter?: string;
}

/**
 * A TypeORM `where` condition and its parameters: `alias.id` is among the first `max` rows of
 * its parent. Usage: `.where(...firstPerParent('c', { table: 'contrats', parent: 'client_id', ... }))`.
 */
export function firstPerParent(
  alias: string,
  { table, parent, order, parentIds, max, filter }: PerParent,
): [string, { perParentIds: string[]; perParentMax: number }] {
  for (const name of [alias, table, parent]) assertIdentifier(name);
  return [
    `${alias}.id IN (SELECT w.id FROM (
       SELECT k.id, row_number() OVER (PARTITION BY k.${parent} ORDER BY ${order}) AS rn
       FROM ${table} k WHERE k.${parent} IN (:...perParentIds)${filter ? ` AND (${filter})` : ''}) w
     WHERE w.rn <= :perParentMax)`,
    { perParentIds: [...parentIds], perParentMax: max },
  ];
}
