// A command reads load -> decide -> write: the service owns the transaction; the rules decide.
import { randomUUID } from 'node:crypto';
import type { Caller, ServiceRuntime } from '@crm/subgraph';
import type { WidgetEntity } from './widget.entity';
import type { CreateWidget } from './widget.inputs';
import { WIDGET_NAME_UNIQUE, WidgetRepository } from './widget.repository';
import { decideCreateWidget } from './widget.rules';
import { sampleError } from '../errors';

export class WidgetService {
  private readonly widgets: WidgetRepository;

  constructor(private readonly runtime: ServiceRuntime) {
    this.widgets = new WidgetRepository(runtime.dataSource.manager);
  }

  findByIds(ids: readonly string[]): Promise<WidgetEntity[]> {
    return this.widgets.findByIds(ids);
  }

  // `caller` goes into the events this service publishes (runtime.events.outbox, same transaction)
  async create(command: CreateWidget, _caller: Caller): Promise<WidgetEntity> {
    const { row } = decideCreateWidget(command, randomUUID(), this.runtime.clock());
    try {
      return await this.runtime.dataSource.transaction((tx) => this.widgets.insert(tx, row));
    } catch (err) {
      if ((err as { driverError?: { constraint?: string } }).driverError?.constraint === WIDGET_NAME_UNIQUE)
        throw sampleError('WIDGET.NAME_TAKEN', `a widget is already named ${row.name}`);
      throw err;
    }
  }
}
