import { parseInput } from '@crm/subgraph';
import { type Context } from './context';
import { type QueuePage } from './escalation/escalation.service';
import { type QueueChange } from './live/live.rules';
import {
  advisorStatusSchema,
  assignEscalationInput,
  escalateClaimInput,
  escalationStatusSchema,
  idSchema,
  registerAdvisorInput,
  resolveEscalationInput,
  setAdvisorStatusInput,
  startEscalationInput,
} from './inputs';
import {
  type AdvisorStatus,
  type AssignmentView,
  type EscalationStatus,
  type EscalationView,
} from './mapping';

const caller = (ctx: Context) => ({ principal: ctx.principal, correlationId: ctx.correlationId });

export const resolvers = {
  Query: {
    escalationQueue: (
      _: unknown,
      args: { status?: EscalationStatus | null; first?: number | null; after?: string | null },
      ctx: Context,
    ) => ctx.escalations.queue(parseInput(escalationStatusSchema, args.status ?? 'WAITING'), args),
    escalation: (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.loaders.escalationById.load(parseInput(idSchema, args.id)),
    advisors: (_: unknown, args: { status?: AdvisorStatus | null }, ctx: Context) =>
      ctx.advisors.list(args.status ? parseInput(advisorStatusSchema, args.status) : undefined),
    advisor: (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.loaders.advisorById.load(parseInput(idSchema, args.id)),
  },
  Mutation: {
    escalateClaim: (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.escalate(parseInput(escalateClaimInput, args.input), caller(ctx)),
    assignEscalation: (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.assign(parseInput(assignEscalationInput, args.input), caller(ctx)),
    startEscalation: (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.start(parseInput(startEscalationInput, args.input), caller(ctx)),
    resolveEscalation: (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.resolve(parseInput(resolveEscalationInput, args.input), caller(ctx)),
    registerAdvisor: (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.advisors.register(parseInput(registerAdvisorInput, args.input), caller(ctx)),
    setAdvisorStatus: (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.advisors.setStatus(parseInput(setAdvisorStatusInput, args.input), caller(ctx)),
  },
  Subscription: {
    escalationQueue: {
      subscribe: (_: unknown, __: unknown, ctx: Context) => ctx.feed.subscribe(),
      resolve: (change: QueueChange) => change,
    },
    myAssignments: {
      // the principal's subject is the advisor's id (tokens of advisors)
      subscribe: (_: unknown, __: unknown, ctx: Context) => ctx.feed.subscribe(ctx.principal.sub),
      resolve: (change: QueueChange) => change,
    },
  },
  EscalationConnection: {
    totalCount: (page: QueuePage) => page.totalCount(),
  },
  Advisor: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.advisorById.load(ref.id),
    assignments: (advisor: { id: string }, args: { status?: EscalationStatus | null }, ctx: Context) =>
      ctx.loaders
        .assignmentsByAdvisor(args.status ? parseInput(escalationStatusSchema, args.status) : undefined)
        .load(advisor.id),
  },
  EscalationEntry: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.escalationById.load(ref.id),
    origin: (e: EscalationView) => (e.claimId ? 'CLAIM' : 'CALL_REQUEST'),
    claim: (e: EscalationView) => (e.claimId ? { __typename: 'Claim', id: e.claimId } : null),
    case: (e: EscalationView) => (e.caseId ? { __typename: 'Case', id: e.caseId } : null),
    lead: (e: EscalationView) => (e.leadEmail ? { __typename: 'Lead', email: e.leadEmail } : null),
    callRequest: (e: EscalationView) =>
      e.details && e.callBackBy
        ? { ...e.details, phone: e.leadPhone, requestedAt: e.queuedAt, callBackBy: e.callBackBy }
        : null,
    client: (e: EscalationView) => (e.clientId ? { __typename: 'Client', id: e.clientId } : null),
    advisor: (e: EscalationView, _: unknown, ctx: Context) =>
      e.advisorId ? ctx.loaders.advisorById.load(e.advisorId) : null,
    assignmentHistory: (e: EscalationView, _: unknown, ctx: Context) =>
      ctx.loaders.historyByEscalation.load(e.id),
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
