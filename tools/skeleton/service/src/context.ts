import type DataLoader from 'dataloader';
import { loaderById, uuidsOnly, type BaseContext, type ServiceParts } from '@crm/subgraph';
import type { WidgetEntity } from './widget/widget.entity';
import type { WidgetService } from './widget/widget.service';

/** One running instance's parts (setup), shared by its requests and its consumers. */
export interface SampleParts extends ServiceParts {
  widgets: WidgetService;
}

export interface SampleContext extends BaseContext {
  loaders: {
    widgetById: DataLoader<string, WidgetEntity | null>;
  };
}

/** Request-scoped loaders: one batch per tick, nothing cached across requests. */
export function createContext(base: BaseContext, { widgets }: SampleParts): SampleContext {
  return {
    ...base,
    loaders: {
      // keys from other subgraphs are not trusted to be UUIDs: a bad one resolves to nothing
      widgetById: loaderById(
        (ids) => widgets.findByIds(uuidsOnly(ids)),
        (w) => w.id,
      ),
    },
  };
}
