import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Turns a raw row (column names) into an entity through the entity's own metadata, so the rows
 * of raw SQL (window-function queries, an UPDATE's RETURNING), which TypeORM's query builder
 * cannot hydrate, share one column mapping with everything else.
 */
export function hydrator<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
): (row: Record<string, unknown>) => T {
  const metadata = dataSource.getMetadata(target);
  return (row) => {
    const entity = metadata.create() as T;
    for (const column of metadata.columns) {
      column.setEntityValue(entity, dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return entity;
  };
}
