import type { IdentityContext, IdentityServices } from '../context';
import { parseId } from '../shared/command';
import type { ContractEntity } from './contract.entity';

export function contractResolvers({ contracts }: IdentityServices) {
  return {
    Query: {
      contract: (_: unknown, args: { id: string }, ctx: IdentityContext) =>
        ctx.loaders.contractById.load(parseId(args.id)),
    },
    Mutation: {
      issueContract: (_: unknown, args: { input: unknown }, ctx: IdentityContext) =>
        contracts.issue(args.input, ctx.caller),
    },
    Contract: {
      __resolveReference: (ref: { id: string }, ctx: IdentityContext) =>
        ctx.loaders.contractById.load(ref.id.toLowerCase()),
      client: async (contract: ContractEntity, _: unknown, ctx: IdentityContext) => {
        const client = await ctx.loaders.clientById.load(contract.clientId);
        // contrats.client_id is NOT NULL with a foreign key: a miss is a broken database
        if (!client) throw new Error(`contract ${contract.id} points to missing client ${contract.clientId}`);
        return client;
      },
    },
  };
}
