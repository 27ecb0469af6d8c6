// Several statements in one round trip: PostgreSQL's simple-query protocol takes a message of
// statements separated by semicolons and answers each. What a hand-driven transaction uses to put
// its `begin` and first statement, or its last statement and `commit`, in one message (the audit
// chain's append, the outbox relay's claim). No parameters travel this way: values are inlined,
// text through the driver's escapeLiteral (`literal`), numbers as checked integers.
import type pg from 'pg';
import type { QueryRunner } from 'typeorm';

/** Runs `sql` on the runner's connection; each statement's rows, in order. */
export async function simpleQuery(runner: QueryRunner, sql: string): Promise<Record<string, unknown>[][]> {
  const client = (await runner.connect()) as pg.PoolClient;
  // the data source's logger still sees it (tests count statements with it)
  runner.connection.logger.logQuery(sql, undefined, runner);
  const results = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
  return (Array.isArray(results) ? results : [results]).map((r) => r.rows as Record<string, unknown>[]);
}

/** A text value as an SQL literal, escaped by the driver (null as `null`). */
export async function literalOf(runner: QueryRunner): Promise<(value: string | null) => string> {
  const client = (await runner.connect()) as pg.PoolClient;
  return (value) => (value === null ? 'null' : client.escapeLiteral(value));
}
