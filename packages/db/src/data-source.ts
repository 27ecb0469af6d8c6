import 'reflect-metadata';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { ensureDatabase } from './database';

export interface DataSourceSettings {
  url: string;
  /** application_name shown in pg_stat_activity: which service, which role */
  applicationName: string;
  // TypeORM's own option types: entity classes or schemas, migration classes
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  /** a pooled connection idle this long is closed (default 30 s) */
  idleTimeoutMs?: number;
  /** counts every SQL statement sent (tests assert on N+1 with it) */
  onQuery?: (sql: string) => void;
}

/**
 * A TypeORM data source for one service database. Schemas change only through migrations:
 * `synchronize` is never enabled.
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  const { onQuery } = settings;
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    applicationName: settings.applicationName,
    entities: settings.entities ?? [],
    migrations: settings.migrations ?? [],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    poolSize: settings.poolSize ?? 10,
    extra: { connectionTimeoutMillis: 5000, idleTimeoutMillis: settings.idleTimeoutMs ?? 30_000 },
    logging: onQuery ? ['query'] : false,
    logger: onQuery
      ? {
          logQuery: (sql: string) => onQuery(sql),
          logQueryError: () => {},
          logQuerySlow: () => {},
          logSchemaBuild: () => {},
          logMigration: () => {},
          log: () => {},
        }
      : undefined,
  });
}

/** Creates the database if needed, connects, and applies pending migrations. */
export async function openDatabase(settings: DataSourceSettings): Promise<DataSource> {
  await ensureDatabase(settings.url);
  const ds = createDataSource(settings);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  return ds;
}
