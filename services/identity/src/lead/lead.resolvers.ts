import type { IdentityContext, IdentityServices } from '../context';
import type { MutationEraseLeadArgs, QueryLeadArgs, QueryLeadErasureArgs } from '../generated/graphql';

export function leadResolvers({ leads }: IdentityServices) {
  return {
    Query: {
      lead: (_: unknown, args: QueryLeadArgs) => leads.find(args.email),
      leadErasure: (_: unknown, args: QueryLeadErasureArgs) => leads.erasure(args.id),
    },
    Mutation: {
      eraseLead: (_: unknown, args: MutationEraseLeadArgs, ctx: IdentityContext) =>
        leads.erase(args.email, ctx.caller),
    },
    Lead: {
      __resolveReference: (ref: { email: string }, ctx: IdentityContext) =>
        ctx.loaders.leadByEmail.load(ref.email.trim().toLowerCase()),
    },
  };
}
