// The seed's French database values and the graph's English enum values meet in one table per
// column, and every service maps its enumerations through this. The table is a complete
// Record, so a value added on one side only fails to compile.

export interface EnumMapping<E extends string, F extends string> {
  /** the graph's values, in the table's order */
  readonly values: E[];
  /** the database's values (what the CHECK constraints allow), in the same order */
  readonly dbValues: F[];
  readonly toDb: (value: E) => F;
  /** throws the error `unknown` builds for a value outside the table */
  readonly fromDb: (value: string) => E;
}

/**
 * Both directions of `table` (graph value -> database value). `unknown` makes the error for a
 * database value outside the table: the CHECK constraints make it unreachable unless the
 * database and the code disagree, so each service says how it wants that reported.
 */
export function enumMapping<E extends string, F extends string>(
  table: Readonly<Record<E, F>>,
  unknown: (value: string) => Error,
): EnumMapping<E, F> {
  const back = new Map<string, E>(Object.entries(table).map(([graph, db]) => [db as string, graph as E]));
  return {
    values: Object.keys(table) as E[],
    dbValues: Object.values<F>(table),
    toDb: (value) => table[value],
    fromDb: (value) => {
      const graph = back.get(value);
      if (graph === undefined) throw unknown(value);
      return graph;
    },
  };
}
