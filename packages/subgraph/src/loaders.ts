import DataLoader from 'dataloader';

/**
 * A request-scoped loader that batches every `load(id)` of one tick into one query and
 * returns results in key order (null for a missing id): reference resolution without N+1.
 */
export function loaderById<T>(
  fetch: (ids: readonly string[]) => Promise<T[]>,
  idOf: (row: T) => string,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await fetch(ids);
    const byId = new Map(rows.map((r) => [idOf(r), r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Batches one-to-many lookups (e.g. claims of many clients) into one query. */
export function loaderByParent<T>(
  fetch: (parentIds: readonly string[]) => Promise<T[]>,
  parentOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (parentIds) => {
    const rows = await fetch(parentIds);
    const grouped = new Map<string, T[]>();
    for (const row of rows) {
      const key = parentOf(row);
      const list = grouped.get(key);
      if (list) list.push(row);
      else grouped.set(key, [row]);
    }
    return parentIds.map((id) => grouped.get(id) ?? []);
  });
}
