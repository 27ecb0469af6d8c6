// Several statements in one round trip: PostgreSQL's simple-query protocol takes a message of
// statements separated by semicolons and answers each. What a hand-driven transaction uses to put
// its `begin` and first statement, or its last statement and `commit`, in one message (the audit
// chain's append, the outbox relay's claim). No parameters travel this way: values are inlined,
// text through the driver's escapeLiteral (`literalOf`), numbers as checked integers.
import type pg from 'pg';
import type { QueryRunner } from 'typeorm';

/**
 * Runs `sql` on the runner's connection; the rows of its last statement (the only one with
 * rows, in what this is for: settings and locks first, one read last).
 */
export async function simpleQuery<Row = Record<string, unknown>>(
  runner: QueryRunner,
  sql: string,
): Promise<Row[]> {
  const client = (await runner.connect()) as pg.PoolClient;
  // the data source's logger still sees it (tests count statements with it)
  runner.connection.logger.logQuery(sql, undefined, runner);
  const results = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
  return ((Array.isArray(results) ? results[results.length - 1] : results)?.rows ?? []) as Row[];
}

/** A text value as an SQL literal, escaped by the driver (null as `null`). */
export async function literalOf(runner: QueryRunner): Promise<(value: string | null) => string> {
  const client = (await runner.connect()) as pg.PoolClient;
  return (value) => (value === null ? 'null' : client.escapeLiteral(value));
}
