import {
  connection as relayConnection,
  decodeCursor,
  encodeCursor,
  isUuid,
  pageSize,
  type Connection,
  type PageArgs,
} from '@crm/subgraph';
import type { Keyset, Page } from './claims/claim.repository';
import type { PageArgsResolved } from './context';
import { claimsError } from './errors';

const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** first (1-100, default 20) and a decoded `after`, checked before it reaches SQL. */
export function pageArgs(args: PageArgs, idIsUuid = true): PageArgsResolved {
  const first = pageSize(args);
  if (!args.after) return { first };
  const after = decodeCursor(args.after);
  if (!SORT_KEY.test(after.sortValue) || (idIsUuid && !isUuid(after.id))) {
    throw claimsError('PAGINATION.INVALID_CURSOR', 'invalid cursor');
  }
  return { first, after };
}

/** A repository page as the graph's connection. */
export function connection<T>(page: Page<T>, totalCount: () => Promise<number>): Connection<T> {
  return relayConnection(
    page.rows.map((r) => ({ cursor: cursorOf(r.key), node: r.entity })),
    page.hasNextPage,
    totalCount,
  );
}

const cursorOf = (key: Keyset): string => encodeCursor(key.sortValue, key.id);
