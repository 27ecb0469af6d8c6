import { parseInput } from '@crm/subgraph';
import { type Context } from '../context';
import type {
  MutationCreateReimbursementArgs,
  MutationUpdateReimbursementArgs,
  QueryReimbursementArgs,
  QueryReimbursementsByClaimArgs,
} from '../generated/graphql';
import { createReimbursementInput, idSchema, updateReimbursementInput } from './reimbursement.inputs';
import { type ReimbursementView } from './reimbursement.mapping';

export const reimbursementResolvers = {
  Query: {
    reimbursement: (_: unknown, args: QueryReimbursementArgs, ctx: Context) =>
      ctx.loaders.reimbursementById.load(parseInput(idSchema, args.id)),
    reimbursementsByClaim: (_: unknown, args: QueryReimbursementsByClaimArgs, ctx: Context) =>
      ctx.loaders.reimbursementsByClaim.load(parseInput(idSchema, args.claimId)),
  },
  Mutation: {
    createReimbursement: (_: unknown, args: MutationCreateReimbursementArgs, ctx: Context) =>
      ctx.reimbursements.create(parseInput(createReimbursementInput, args.input), ctx.caller),
    updateReimbursement: (_: unknown, args: MutationUpdateReimbursementArgs, ctx: Context) =>
      ctx.reimbursements.update(parseInput(updateReimbursementInput, args.input), ctx.caller),
  },
  Reimbursement: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.reimbursementById.load(ref.id),
    claim: (r: ReimbursementView) => ({ __typename: 'Claim', id: r.claimId }),
  },
  Claim: {
    // any claim id is a valid reference here: a claim without reimbursements has an empty list
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    reimbursements: (claim: { id: string }, _: unknown, ctx: Context) =>
      ctx.loaders.reimbursementsByClaim.load(claim.id),
  },
};
