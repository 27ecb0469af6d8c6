import { parseInput } from '@crm/subgraph';
import type { IdentityContext, IdentityParts } from '../context';
import type { MutationIssueContractArgs, QueryContractArgs } from '../generated/graphql';
import { parseId } from '../shared/command';
import type { ContractEntity } from './contract.entity';
import { issueContractSchema } from './contract.inputs';

export function contractResolvers({ contracts, runtime }: IdentityParts) {
  return {
    Query: {
      contract: (_: unknown, args: QueryContractArgs, ctx: IdentityContext) =>
        ctx.loaders.contractById.load(parseId(args.id)),
    },
    Mutation: {
      issueContract: (_: unknown, args: MutationIssueContractArgs, ctx: IdentityContext) =>
        contracts.issue(parseInput(issueContractSchema(runtime.clock()), args.input), ctx.caller, ctx.audit),
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
