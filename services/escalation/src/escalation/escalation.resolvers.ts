import { parseInput } from '@crm/subgraph';
import { staffOnly } from '../authorization';
import { type Context } from '../context';
import type {
  MutationAssignEscalationArgs,
  MutationEscalateClaimArgs,
  MutationResolveEscalationArgs,
  MutationStartEscalationArgs,
  QueryEscalationArgs,
  QueryEscalationQueueArgs,
} from '../generated/graphql';
import { type QueueChange } from '../live/live.rules';
import { idSchema } from '../shared/inputs';
import {
  assignEscalationInput,
  escalateClaimInput,
  escalationStatusSchema,
  resolveEscalationInput,
  startEscalationInput,
} from './escalation.inputs';
import { type AssignmentView, type EscalationView } from './escalation.mapping';
import { type QueuePage } from './escalation.service';

export const escalationResolvers = {
  Query: {
    escalationQueue: staffOnly(
      'escalationQueue',
      (_: unknown, args: QueryEscalationQueueArgs, ctx: Context) =>
        ctx.escalations.queue(parseInput(escalationStatusSchema, args.status ?? 'WAITING'), args),
    ),
    escalation: staffOnly('escalation', (_: unknown, args: QueryEscalationArgs, ctx: Context) =>
      ctx.loaders.escalationById.load(parseInput(idSchema, args.id)),
    ),
  },
  Mutation: {
    escalateClaim: staffOnly('escalateClaim', (_: unknown, args: MutationEscalateClaimArgs, ctx: Context) =>
      ctx.escalations.escalate(parseInput(escalateClaimInput, args.input), ctx.caller, ctx.audit),
    ),
    assignEscalation: staffOnly(
      'assignEscalation',
      (_: unknown, args: MutationAssignEscalationArgs, ctx: Context) =>
        ctx.escalations.assign(parseInput(assignEscalationInput, args.input), ctx.caller, ctx.audit),
    ),
    // the holder, or a supervisor (checked on the locked entry: EscalationService.checkActor)
    startEscalation: staffOnly(
      'startEscalation',
      (_: unknown, args: MutationStartEscalationArgs, ctx: Context) =>
        ctx.escalations.start(parseInput(startEscalationInput, args.input), ctx.caller, ctx.audit),
    ),
    resolveEscalation: staffOnly(
      'resolveEscalation',
      (_: unknown, args: MutationResolveEscalationArgs, ctx: Context) =>
        ctx.escalations.resolve(parseInput(resolveEscalationInput, args.input), ctx.caller, ctx.audit),
    ),
  },
  Subscription: {
    escalationQueue: {
      subscribe: staffOnly('escalationQueue', (_: unknown, __: unknown, ctx: Context) =>
        ctx.feed.subscribe(),
      ),
      resolve: (change: QueueChange) => change,
    },
    myAssignments: {
      // the principal's subject is the advisor's id (tokens of advisors)
      subscribe: staffOnly('myAssignments', (_: unknown, __: unknown, ctx: Context) =>
        ctx.feed.subscribe(ctx.principal.sub),
      ),
      resolve: (change: QueueChange) => change,
    },
  },
  EscalationConnection: {
    totalCount: (page: QueuePage) => page.totalCount(),
  },
  EscalationEntry: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.escalationById.load(ref.id),
    origin: (e: EscalationView) => (e.claimId ? 'CLAIM' : e.caseId ? 'CALL_REQUEST' : 'CONVERSATION'),
    claim: (e: EscalationView) => (e.claimId ? { __typename: 'Claim', id: e.claimId } : null),
    case: (e: EscalationView) => (e.caseId ? { __typename: 'Case', id: e.caseId } : null),
    lead: (e: EscalationView) => (e.leadEmail ? { __typename: 'Lead', email: e.leadEmail } : null),
    conversation: (e: EscalationView) =>
      e.conversationId ? { __typename: 'Conversation', id: e.conversationId } : null,
    callRequest: (e: EscalationView) =>
      e.details && e.callBackBy
        ? { ...e.details, phone: e.leadPhone, requestedAt: e.queuedAt, callBackBy: e.callBackBy }
        : null,
    client: (e: EscalationView) => (e.clientId ? { __typename: 'Client', id: e.clientId } : null),
    advisor: (e: EscalationView, _: unknown, ctx: Context) =>
      e.advisorId ? ctx.loaders.advisorById.load(e.advisorId) : null,
    assignmentHistory: (e: EscalationView, _: unknown, ctx: Context) =>
      ctx.loaders.historyByEscalation.load(e.id),
    // read at the request, not from `e`: the entry may have been taken since it was loaded
    position: async (e: EscalationView, _: unknown, ctx: Context) =>
      e.status === 'WAITING' ? ((await ctx.loaders.waitById.load(e.id))?.position ?? null) : null,
    estimatedWaitSeconds: async (e: EscalationView, _: unknown, ctx: Context) =>
      e.status === 'WAITING' ? ((await ctx.loaders.waitById.load(e.id))?.estimatedWaitSeconds ?? null) : null,
    callBack: (e: EscalationView) =>
      e.callBackOfferedAt && e.offeredCallBackBy
        ? { phone: e.offeredCallBackPhone, by: e.offeredCallBackBy, offeredAt: e.callBackOfferedAt }
        : null,
  },
  Assignment: {
    advisor: (a: AssignmentView, _: unknown, ctx: Context) => ctx.loaders.advisorById.load(a.advisorId),
  },
  Case: {
    // any case id is a valid reference here: a case without a call request has no entry
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    escalation: async (c: { id: string }, _: unknown, ctx: Context) => {
      const entries = await ctx.loaders.escalationsByCase.load(c.id);
      return entries.find((e) => e.status !== 'RESOLVED') ?? entries[0] ?? null;
    },
  },
  Claim: {
    // any claim id is a valid reference here: a claim never escalated has no entry
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    escalation: async (claim: { id: string }, _: unknown, ctx: Context) => {
      const entries = await ctx.loaders.escalationsByClaim.load(claim.id);
      return entries.find((e) => e.status !== 'RESOLVED') ?? entries[0] ?? null;
    },
  },
};
