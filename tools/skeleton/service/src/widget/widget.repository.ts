// The one repository style: reads on the manager given at construction, writes on the
// transaction's manager passed by the service. Only repositories build queries.
import { In, type EntityManager } from 'typeorm';
import { WidgetEntity } from './widget.entity';

export const WIDGET_NAME_UNIQUE = 'uq_widgets_nom';

export class WidgetRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(WidgetEntity);
  }

  findByIds(ids: readonly string[]): Promise<WidgetEntity[]> {
    return ids.length ? this.repo().findBy({ id: In([...ids]) }) : Promise.resolve([]);
  }

  insert(tx: EntityManager, row: WidgetEntity): Promise<WidgetEntity> {
    return this.repo(tx).save(this.repo(tx).create(row));
  }
}
