import { connection, parseInput } from '@crm/subgraph';
import type { IdentityContext, IdentityParts } from '../context';
import type {
  MutationEraseClientArgs,
  MutationRegisterClientArgs,
  MutationUpdateClientArgs,
  QueryClientArgs,
  QueryClientByMatriculeArgs,
  QueryClientsArgs,
} from '../generated/graphql';
import { parseId } from '../shared/command';
import type { ClientEntity } from './client.entity';
import { registerClientSchema, updateClientSchema } from './client.inputs';
import { erasureProgress } from '../erasure/erasure.rules';

export function clientResolvers({ clients, runtime }: IdentityParts) {
  return {
    Query: {
      client: (_: unknown, args: QueryClientArgs, ctx: IdentityContext) =>
        ctx.loaders.clientById.load(parseId(args.id)),
      clientByMatricule: (_: unknown, args: QueryClientByMatriculeArgs) =>
        clients.findByMatricule(args.matricule),
      clients: async (_: unknown, args: QueryClientsArgs) => {
        const page = await clients.page(args);
        return connection(
          page.rows.map((row) => ({ cursor: row.cursor, node: row.client })),
          page.hasNextPage,
          () => Promise.resolve(page.totalCount),
        );
      },
    },
    Mutation: {
      // inputs are parsed here, once; the services take validated commands
      registerClient: (_: unknown, args: MutationRegisterClientArgs, ctx: IdentityContext) =>
        clients.register(
          parseInput(registerClientSchema(runtime.clock()), args.input),
          ctx.caller,
          ctx.audit,
        ),
      updateClient: (_: unknown, args: MutationUpdateClientArgs, ctx: IdentityContext) =>
        clients.update(parseInput(updateClientSchema(runtime.clock()), args.input), ctx.caller, ctx.audit),
      eraseClient: (_: unknown, args: MutationEraseClientArgs, ctx: IdentityContext) =>
        clients.erase(parseId(args.id), ctx.caller),
    },
    Client: {
      __resolveReference: (ref: { id: string }, ctx: IdentityContext) =>
        ctx.loaders.clientById.load(ref.id.toLowerCase()),
      contracts: (client: ClientEntity, _: unknown, ctx: IdentityContext) =>
        ctx.loaders.contractsByClient.load(client.id),
      auditTrail: (client: ClientEntity, _: unknown, ctx: IdentityContext) =>
        ctx.loaders.auditTrailByClient.load(client.id),
      erasure: async (client: ClientEntity, _: unknown, ctx: IdentityContext) =>
        client.status === 'ERASED'
          ? erasureProgress(client.updatedAt, await ctx.loaders.erasureReceipts.load(client.id))
          : null,
    },
  };
}
