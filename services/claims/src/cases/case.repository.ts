// SQL for seed 2's cases and their event journal. Writing them (partner ingestion, the
// merge rule) is issue 7; this issue reads them.
import type { DataSource } from 'typeorm';
import type { Keyset, Page } from '../claims/claim.repository';
import { hydrator } from '../db/hydrate';
import { Params, timestampKey } from '../db/sql';
import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';

export class CaseRepository {
  private readonly toCase: (row: Record<string, unknown>) => CaseEntity;
  private readonly toEvent: (row: Record<string, unknown>) => CaseEventEntity;

  constructor(private readonly dataSource: DataSource) {
    this.toCase = hydrator(dataSource, CaseEntity);
    this.toEvent = hydrator(dataSource, CaseEventEntity);
  }

  async findByIds(ids: readonly string[]): Promise<CaseEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select * from cases where case_id = any($1::varchar[])`,
      [ids],
    );
    return rows.map(this.toCase);
  }

  async exists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`select 1 from cases where case_id = $1`, [id]);
    return rows.length > 0;
  }

  async findEventsByIds(ids: readonly string[]): Promise<CaseEventEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select * from case_events where event_id = any($1::varchar[])`,
      [ids],
    );
    return rows.map(this.toEvent);
  }

  /** The same page of the journals of many cases, in time order (timestamp, event_id), one statement. */
  async eventPagesByCase(
    caseIds: readonly string[],
    options: { first: number; after?: Keyset },
  ): Promise<Map<string, Page<CaseEventEntity>>> {
    const p = new Params();
    const where = [`e.case_id = any(${p.add(caseIds)}::varchar[])`];
    if (options.after) {
      where.push(
        `(e.timestamp, e.event_id) > (${p.add(options.after.sortValue)}::timestamp, ${p.add(options.after.id)}::varchar)`,
      );
    }
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `select x.* from (
         select e.*, ${timestampKey('e.timestamp')} as sort_key,
                row_number() over (partition by e.case_id order by e.timestamp, e.event_id) as rn
           from case_events e where ${where.join(' and ')}
       ) x where x.rn <= ${p.add(options.first + 1)}
       order by x.case_id, x.rn`,
      p.values,
    );
    const byCase = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      const key = String(row.case_id);
      const list = byCase.get(key);
      if (list) list.push(row);
      else byCase.set(key, [row]);
    }
    return new Map(
      caseIds.map((id) => {
        const list = byCase.get(id) ?? [];
        return [
          id,
          {
            hasNextPage: list.length > options.first,
            rows: list.slice(0, options.first).map((row) => ({
              entity: this.toEvent(row),
              key: { sortValue: String(row.sort_key), id: String(row.event_id) },
            })),
          },
        ];
      }),
    );
  }

  async countEventsByCase(caseIds: readonly string[]): Promise<Map<string, number>> {
    const rows: { case_id: string; n: number }[] = await this.dataSource.query(
      `select case_id, count(*)::int as n from case_events where case_id = any($1::varchar[]) group by case_id`,
      [caseIds],
    );
    return new Map(rows.map((r) => [r.case_id, r.n]));
  }
}
