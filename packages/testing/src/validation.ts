// What a VALIDATION.FAILED said, for tests of input schemas: its code and the fields it named.

/** The error's code and its problems' fields (sorted) when `fn` throws one; undefined when it does not. */
export function problemsOf(fn: () => unknown): { code: string; fields: string[] } | undefined {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; problems: { field: string }[] };
    return { code: e.code, fields: e.problems.map((p) => p.field).sort() };
  }
  return undefined;
}
