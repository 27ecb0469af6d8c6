import { parseInput } from '@crm/subgraph';
import { z } from 'zod';
import type { ClaimsContext } from '../context';
import type {
  CaseEventsArgs,
  MutationIngestPartnerMessageArgs,
  QueryCaseArgs,
  QueryCasesArgs,
  QueryCasesByLeadArgs,
} from '../generated/graphql';
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

const text = z.string().trim().min(1).max(100);
const casesFilterSchema = z.object({
  status: text.nullish().transform((v) => v ?? undefined),
  intent: text.nullish().transform((v) => v ?? undefined),
  siteId: text.nullish().transform((v) => v ?? undefined),
  ownerUid: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .nullish()
    .transform((v) => v ?? undefined),
  updatedSince: z
    .date('must be a DateTime')
    .nullish()
    .transform((v) => v ?? undefined),
  nextActionBefore: z
    .date('must be a DateTime')
    .nullish()
    .transform((v) => v ?? undefined),
});

export const caseResolvers = {
  Query: {
    /** The CRM dashboard (seed 2, switch view): filtered, most recently active first, counts per status. */
    cases: async (_: unknown, args: QueryCasesArgs, ctx: ClaimsContext) => {
      const filter = parseInput(casesFilterSchema, args.filter ?? {});
      const page = pageArgs(args, false);
      const rows = await ctx.cases.page(filter, page.first, page.after);
      return {
        ...connection(rows, () => ctx.cases.count(filter)),
        // lazy: one GROUP BY, only when selected
        countsByStatus: () => ctx.cases.countsByStatus(filter),
      };
    },
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
  Mutation: {
    ingestPartnerMessage: (_: unknown, args: MutationIngestPartnerMessageArgs, ctx: ClaimsContext) =>
      ctx.journal.receivePartnerMessage(
        args.message,
        // a partner's token names its source; the system's may send any (a replay tool)
        ctx.principal.roles.includes('system') ? 'system' : { source: ctx.principal.sub },
      ),
  },
  CaseEvent: {
    __resolveReference: (ref: { id: string }, ctx: ClaimsContext) => ctx.loaders.caseEventById.load(ref.id),
  },
};
