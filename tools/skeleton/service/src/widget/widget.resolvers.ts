// Thin resolvers: arguments typed from the SDL (src/generated, npm run codegen), inputs parsed
// here once, one service or loader call.
import { parseInput } from '@crm/subgraph';
import type { SampleContext, SampleParts } from '../context';
import type { MutationCreateWidgetArgs, QueryWidgetArgs } from '../generated/graphql';
import { createWidgetInput, idSchema } from './widget.inputs';

export function widgetResolvers({ widgets }: SampleParts) {
  return {
    Query: {
      widget: (_: unknown, args: QueryWidgetArgs, ctx: SampleContext) =>
        ctx.loaders.widgetById.load(parseInput(idSchema, args.id)),
    },
    Mutation: {
      createWidget: (_: unknown, args: MutationCreateWidgetArgs, ctx: SampleContext) =>
        widgets.create(parseInput(createWidgetInput, args.input), ctx.caller),
    },
    Widget: {
      __resolveReference: (ref: { id: string }, ctx: SampleContext) => ctx.loaders.widgetById.load(ref.id),
    },
  };
}
