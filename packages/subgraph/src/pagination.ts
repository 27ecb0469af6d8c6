import { DomainError } from './errors';

/**
 * Opaque keyset cursors: base64url of JSON [sortValue, id]. Keyset (not offset) pagination
 * stays correct while rows are inserted and costs the same on page 1 and page 1000.
 */
export function encodeCursor(sortValue: string, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { sortValue: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      return { sortValue: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new DomainError('PAGINATION.INVALID_CURSOR', 'invalid cursor');
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export function pageSize(args: PageArgs, { defaultSize = 20, max = 100 } = {}): number {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new DomainError('PAGINATION.INVALID_SIZE', `first must be between 1 and ${max}`);
  }
  return first;
}

/** A Relay connection (edges, pageInfo, totalCount), the one shape every list of the graph has. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** resolved only when selected: counting is a statement of its own */
  totalCount: () => Promise<number>;
}

export function connection<T>(
  edges: { cursor: string; node: T }[],
  hasNextPage: boolean,
  totalCount: () => Promise<number>,
): Connection<T> {
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
