// setClientPin and Client.hasPin: thin, the input parsed once here.
import { parseInput } from '@crm/subgraph';
import type { IdentityContext, IdentityParts } from '../context';
import type { ClientEntity } from '../client/client.entity';
import type { MutationSetClientPinArgs } from '../generated/graphql';
import { setClientPinSchema } from './pin.inputs';

export function pinResolvers({ pins }: IdentityParts) {
  return {
    Mutation: {
      setClientPin: (_: unknown, args: MutationSetClientPinArgs, ctx: IdentityContext) =>
        pins.set(parseInput(setClientPinSchema, args.input), ctx.caller, ctx.audit),
    },
    Client: {
      hasPin: (client: ClientEntity, _: unknown, ctx: IdentityContext) => ctx.loaders.hasPin.load(client.id),
    },
  };
}
