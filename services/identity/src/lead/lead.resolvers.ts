import type { IdentityContext, IdentityServices } from '../context';

export function leadResolvers({ leads }: IdentityServices) {
  return {
    Query: {
      lead: (_: unknown, args: { email: string }) => leads.find(args.email),
    },
    Lead: {
      __resolveReference: (ref: { email: string }, ctx: IdentityContext) =>
        ctx.loaders.leadByEmail.load(ref.email.trim().toLowerCase()),
    },
  };
}
