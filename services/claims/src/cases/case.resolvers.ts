import { notFound, type PageArgs } from '@crm/subgraph';
import type { ClaimsContext } from '../context';
import { connection, pageArgs } from '../pagination';
import type { CaseEntity } from './case.entity';

export const caseResolvers = {
  Query: {
    case: async (_: unknown, args: { id: string }, ctx: ClaimsContext) => {
      const found = await ctx.loaders.caseById.load(args.id);
      if (!found) throw notFound('case', args.id);
      return found;
    },
  },
  Case: {
    __resolveReference: (ref: { id: string }, ctx: ClaimsContext) => ctx.loaders.caseById.load(ref.id),
    events: (c: CaseEntity, args: PageArgs, ctx: ClaimsContext) => {
      const page = pageArgs(args, false);
      return ctx.loaders
        .caseEventsPage(page)
        .load(c.id)
        .then((rows) => connection(rows, () => ctx.loaders.caseEventsCount.load(c.id)));
    },
  },
  CaseEvent: {
    __resolveReference: (ref: { id: string }, ctx: ClaimsContext) => ctx.loaders.caseEventById.load(ref.id),
  },
};
