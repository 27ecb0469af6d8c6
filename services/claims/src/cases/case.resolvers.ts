import { parseInput } from '@crm/subgraph';
import { z } from 'zod';
import type { ClaimsContext } from '../context';
import type { CaseEventsArgs, QueryCaseArgs, QueryCasesByLeadArgs } from '../generated/graphql';
import { connection, pageArgs } from '../pagination';
import type { CaseEntity } from './case.entity';
import { normalizeEmail } from '@crm/contact';
import { notFound } from '../errors';

const leadLookupSchema = z.object({
  email: z
    .string()
    .max(320)
    .transform((raw) => normalizeEmail(raw) ?? '')
    .pipe(z.email('not an e-mail address')),
});

export const caseResolvers = {
  Query: {
    case: async (_: unknown, args: QueryCaseArgs, ctx: ClaimsContext) => {
      const found = await ctx.loaders.caseById.load(args.id);
      if (!found) throw notFound('case', args.id);
      return found;
    },
    /** The lead key is the normalised e-mail, so " Jean@X.fr " finds jean@x.fr's cases. */
    casesByLead: (_: unknown, args: QueryCasesByLeadArgs, ctx: ClaimsContext) => {
      const { email } = parseInput(leadLookupSchema, args);
      return ctx.cases.findByLead(email);
    },
  },
  Case: {
    __resolveReference: (ref: { id: string }, ctx: ClaimsContext) => ctx.loaders.caseById.load(ref.id),
    events: (c: CaseEntity, args: CaseEventsArgs, ctx: ClaimsContext) => {
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
