import { DomainError, decodeCursor, encodeCursor, pageSize, type PageArgs } from '@crm/subgraph';
import type { Keyset, Page } from './claims/claim.repository';
import type { PageArgsResolved } from './context';

const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** first (1-100, default 20) and a decoded `after`, checked before it reaches SQL. */
export function pageArgs(args: PageArgs, idIsUuid = true): PageArgsResolved {
  const first = pageSize(args);
  if (!args.after) return { first };
  const after = decodeCursor(args.after);
  if (!SORT_KEY.test(after.sortValue) || (idIsUuid && !UUID.test(after.id))) {
    throw new DomainError('PAGINATION.INVALID_CURSOR', 'invalid cursor');
  }
  return { first, after };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** resolved only when selected: counting is a statement of its own */
  totalCount: () => Promise<number>;
}

export function connection<T>(page: Page<T>, totalCount: () => Promise<number>): Connection<T> {
  const edges = page.rows.map((r) => ({ cursor: cursorOf(r.key), node: r.entity }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

const cursorOf = (key: Keyset): string => encodeCursor(key.sortValue, key.id);
