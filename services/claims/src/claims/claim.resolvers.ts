// Thin resolvers: read arguments and context, parse the input once (the service takes it
// validated), call one service or loader, map to the graph.
import { hasRole } from '@crm/auth';
import { parseInput } from '@crm/subgraph';
import type { ClaimsContext } from '../context';
import type {
  ClientClaimsArgs,
  MutationArchiveClaimArgs,
  MutationChangeClaimStatusArgs,
  MutationOpenClaimArgs,
  MutationRecordClaimActivityArgs,
  MutationSetRecommendedActionStatusArgs,
  MutationUpdateClaimArgs,
  QueryClaimArgs,
  QueryClaimByNumberArgs,
  QueryClaimsArgs,
} from '../generated/graphql';
import { connection, pageArgs } from '../pagination';
import { claimActivity } from './claim-activity.rules';
import type { ClaimEntity } from './claim.entity';
import { MAX_CLAIM_ACTIVITY, MAX_CLAIM_STATUS_HISTORY } from './claim.repository';
import {
  CLAIM_STATUS_DB,
  actionPriorityFromDb,
  actionStatusFromDb,
  actionTypeFromDb,
  claimStatusFromDb,
  claimTypeFromDb,
  handlingFromDb,
} from './claim.mapping';
import { CLAIM_TRANSITIONS } from './claim-lifecycle.rules';
import {
  actionStatusSchema,
  changeStatusSchema,
  claimsFilterSchema,
  idSchema,
  parseOpenClaim,
  parseRecordActivity,
  parseUpdateClaim,
  type Channel,
} from './claim.inputs';
import type { RecommendedActionEntity } from './recommended-action.entity';
import { notFound } from '../errors';

const defaultChannel = (ctx: ClaimsContext): Channel =>
  hasRole(ctx.principal, 'advisor', 'supervisor') ? 'ADVISOR' : 'WEB';

async function claimOrFail(ctx: ClaimsContext, id: string): Promise<ClaimEntity> {
  const { id: valid } = parseInput(idSchema, { id });
  const claim = await ctx.loaders.claimById.load(valid);
  if (!claim) throw notFound('claim', id);
  return claim;
}

export const claimResolvers = {
  Query: {
    claim: (_: unknown, args: QueryClaimArgs, ctx: ClaimsContext) => claimOrFail(ctx, args.id),
    claimByNumber: async (_: unknown, args: QueryClaimByNumberArgs, ctx: ClaimsContext) => {
      const claim = await ctx.claims.findByNumber(args.claimNumber);
      if (!claim) throw notFound('claim', args.claimNumber);
      return claim;
    },
    claims: (_: unknown, args: QueryClaimsArgs, ctx: ClaimsContext) => {
      const raw = parseInput(claimsFilterSchema, args.filter ?? {});
      const filter = { ...raw, status: raw.status ? CLAIM_STATUS_DB[raw.status] : null };
      const page = pageArgs(args);
      return ctx.claims
        .page(filter, page.first, page.after)
        .then((rows) => connection(rows, () => ctx.claims.count(filter)));
    },
  },
  Mutation: {
    openClaim: (_: unknown, args: MutationOpenClaimArgs, ctx: ClaimsContext) =>
      ctx.service.openClaim(
        parseOpenClaim(args.input, ctx.clock()),
        ctx.caller,
        defaultChannel(ctx),
        {},
        ctx.audit,
      ),
    updateClaim: (_: unknown, args: MutationUpdateClaimArgs, ctx: ClaimsContext) =>
      ctx.service.updateClaim(parseUpdateClaim(args.input, ctx.clock()), ctx.caller, ctx.audit),
    archiveClaim: (_: unknown, args: MutationArchiveClaimArgs, ctx: ClaimsContext) =>
      ctx.service.archiveClaim(parseInput(idSchema, args).id, ctx.caller, ctx.audit),
    recordClaimActivity: (_: unknown, args: MutationRecordClaimActivityArgs, ctx: ClaimsContext) =>
      ctx.service.recordActivity(parseRecordActivity(args.input, ctx.clock()), ctx.caller, ctx.audit),
    setRecommendedActionStatus: (
      _: unknown,
      args: MutationSetRecommendedActionStatusArgs,
      ctx: ClaimsContext,
    ) => {
      const input = parseInput(actionStatusSchema, args.input);
      return ctx.service.setActionStatus(input.actionId, input.status, ctx.caller, ctx.audit);
    },
    changeClaimStatus: (_: unknown, args: MutationChangeClaimStatusArgs, ctx: ClaimsContext) => {
      const input = parseInput(changeStatusSchema, args.input);
      return ctx.service.changeStatus(
        input.id,
        input.status,
        input.reason ?? undefined,
        ctx.caller,
        ctx.audit,
      );
    },
  },
  Claim: {
    __resolveReference: (ref: { id: string }, ctx: ClaimsContext) => ctx.loaders.claimById.load(ref.id),
    client: (c: ClaimEntity) => ({ __typename: 'Client', id: c.clientId }),
    contract: (c: ClaimEntity) => (c.contractId ? { __typename: 'Contract', id: c.contractId } : null),
    type: (c: ClaimEntity) => (c.type ? claimTypeFromDb(c.type) : null),
    status: (c: ClaimEntity) => claimStatusFromDb(c.status),
    handling: (c: ClaimEntity) => (c.handling ? handlingFromDb(c.handling) : null),
    photoUrls: (c: ClaimEntity) => c.photoUrls ?? [],
    cciFactors: (c: ClaimEntity) => c.cciBreakdown?.factors ?? [],
    assignedAdvisor: (c: ClaimEntity) =>
      c.assignedAdvisorId ? { __typename: 'Advisor', id: c.assignedAdvisorId } : null,
    archived: (c: ClaimEntity) => c.archivedAt !== null,
    recommendedActions: (c: ClaimEntity, _: unknown, ctx: ClaimsContext) =>
      ctx.loaders.actionsByClaim.load(c.id),
    auditTrail: (c: ClaimEntity, _: unknown, ctx: ClaimsContext) => ctx.loaders.auditTrailByClaim.load(c.id),
    allowedTransitions: (c: ClaimEntity) =>
      c.archivedAt ? [] : [...CLAIM_TRANSITIONS[claimStatusFromDb(c.status)]],
    case: (c: ClaimEntity, _: unknown, ctx: ClaimsContext) =>
      c.caseId ? ctx.loaders.caseById.load(c.caseId) : null,
    triggers: (c: ClaimEntity) => c.triggers.map((t) => ({ ...t, at: new Date(t.at) })),
    // newest first: the first MAX_CLAIM_ACTIVITY are the newest (the journal's share and the
    // hand-recorded entries are already cut to as many each, which is enough: the newest N of
    // a union are among the newest N of each part)
    activity: async (c: ClaimEntity, _: unknown, ctx: ClaimsContext) => {
      const [journal, recorded] = await Promise.all([
        c.caseId ? ctx.loaders.activityEventsByCase.load(c.caseId) : [],
        ctx.loaders.recordedActivitiesByClaim.load(c.id),
      ]);
      return claimActivity({
        createdAt: c.createdAt,
        photoUrls: c.photoUrls,
        statusHistory: c.statusHistory,
        triggers: c.triggers,
        journal,
        recorded,
      }).slice(0, MAX_CLAIM_ACTIVITY);
    },
    // oldest first, appended as they happen: the last MAX_CLAIM_STATUS_HISTORY are the newest
    statusHistory: (c: ClaimEntity) =>
      c.statusHistory.slice(-MAX_CLAIM_STATUS_HISTORY).map((h) => ({
        from: h.from,
        to: h.to,
        reason: h.reason,
        actorKind: h.actor.kind,
        actorId: h.actor.id,
        at: new Date(h.at),
        cause: h.cause?.kind ?? null,
        causeEventId: h.cause?.eventId ?? null,
      })),
  },
  RecommendedAction: {
    type: (a: RecommendedActionEntity) => actionTypeFromDb(a.type),
    priority: (a: RecommendedActionEntity) => actionPriorityFromDb(a.priority),
    status: (a: RecommendedActionEntity) => actionStatusFromDb(a.status),
  },
  Client: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    claims: (client: { id: string }, args: ClientClaimsArgs, ctx: ClaimsContext) => {
      const status = args.status ? CLAIM_STATUS_DB[args.status] : null;
      const page = pageArgs(args);
      return ctx.loaders
        .clientClaimsPage(status, page)
        .load(client.id)
        .then((rows) => connection(rows, () => ctx.loaders.clientClaimsCount(status).load(client.id)));
    },
  },
  Contract: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    claims: (contract: { id: string }, _: unknown, ctx: ClaimsContext) =>
      ctx.loaders.claimsByContract.load(contract.id),
  },
};
