import { parseInput } from '@crm/subgraph';
import { type Context } from '../context';
import type {
  MutationCreateReimbursementArgs,
  MutationUpdateReimbursementArgs,
  QueryReimbursementArgs,
  QueryReimbursementsByClaimArgs,
} from '../generated/graphql';
import { createReimbursementInput, idSchema, updateReimbursementInput } from './reimbursement.inputs';
import { type RecordedOverride } from './assessment.rules';
import { type ClaimRef, type ReimbursementView } from './reimbursement.mapping';

export const reimbursementResolvers = {
  Query: {
    reimbursement: (_: unknown, args: QueryReimbursementArgs, ctx: Context) =>
      ctx.loaders.reimbursementById.load(parseInput(idSchema, args.id)),
    reimbursementsByClaim: (_: unknown, args: QueryReimbursementsByClaimArgs, ctx: Context) =>
      ctx.loaders.reimbursementsByClaim.load(parseInput(idSchema, args.claimId)),
  },
  Mutation: {
    createReimbursement: (_: unknown, args: MutationCreateReimbursementArgs, ctx: Context) =>
      ctx.reimbursements.create(parseInput(createReimbursementInput, args.input), ctx.caller, ctx.audit),
    updateReimbursement: (_: unknown, args: MutationUpdateReimbursementArgs, ctx: Context) =>
      ctx.reimbursements.update(parseInput(updateReimbursementInput, args.input), ctx.caller, ctx.audit),
  },
  Reimbursement: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.reimbursementById.load(ref.id),
    // the claim carries its policyholder, for the Claim.* policy
    claim: (r: ReimbursementView): ClaimRef & { __typename: 'Claim' } => ({
      __typename: 'Claim',
      id: r.claimId,
      clientId: r.clientId,
    }),
  },
  ReimbursementOverride: {
    actorKind: (o: RecordedOverride) => o.actor.kind,
    actorId: (o: RecordedOverride) => o.actor.id,
    amountAccepted: (o: RecordedOverride) => o.decided.amountAccepted,
    deductibleApplied: (o: RecordedOverride) => o.decided.deductibleApplied,
  },
  Claim: {
    // any claim id is a valid reference here: a claim without reimbursements has an empty list.
    // Its owner comes from the claims this service knows, never from the representation; a claim
    // unknown here has none (staff only).
    __resolveReference: async (ref: { id: string }, ctx: Context): Promise<ClaimRef> => ({
      id: ref.id,
      clientId: (await ctx.loaders.knownClaimById.load(ref.id))?.clientId ?? null,
    }),
    reimbursements: (claim: ClaimRef, _: unknown, ctx: Context) =>
      ctx.loaders.reimbursementsByClaim.load(claim.id),
  },
};
