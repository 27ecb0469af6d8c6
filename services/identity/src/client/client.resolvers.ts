import { connection, type PageArgs } from '@crm/subgraph';
import type { IdentityContext, IdentityServices } from '../context';
import { parseId } from '../shared/command';
import type { ClientEntity } from './client.entity';

export function clientResolvers({ clients }: IdentityServices) {
  return {
    Query: {
      client: (_: unknown, args: { id: string }, ctx: IdentityContext) =>
        ctx.loaders.clientById.load(parseId(args.id)),
      clientByMatricule: (_: unknown, args: { matricule: string }) => clients.findByMatricule(args.matricule),
      clients: async (_: unknown, args: PageArgs) => {
        const page = await clients.page(args);
        return connection(
          page.rows.map((row) => ({ cursor: row.cursor, node: row.client })),
          page.hasNextPage,
          () => Promise.resolve(page.totalCount),
        );
      },
    },
    Mutation: {
      registerClient: (_: unknown, args: { input: unknown }, ctx: IdentityContext) =>
        clients.register(args.input, ctx.caller),
      updateClient: (_: unknown, args: { input: unknown }, ctx: IdentityContext) =>
        clients.update(args.input, ctx.caller),
      eraseClient: (_: unknown, args: { id: string }, ctx: IdentityContext) =>
        clients.erase(args.id, ctx.caller),
    },
    Client: {
      __resolveReference: (ref: { id: string }, ctx: IdentityContext) =>
        ctx.loaders.clientById.load(ref.id.toLowerCase()),
      contracts: (client: ClientEntity, _: unknown, ctx: IdentityContext) =>
        ctx.loaders.contractsByClient.load(client.id),
    },
  };
}
