import { requireRole, STAFF } from '@crm/auth';
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

/**
 * The queue holds clients' and leads' personal data and is the insurer's work: every root field
 * needs a staff role (AUTH.FORBIDDEN otherwise), whatever token the gateway accepted. Fields
 * reached through an entity (Claim.escalation, Case.escalation) follow their root's check.
 */
function staffOnly<P, A, R>(what: string, resolve: (parent: P, args: A, ctx: Context) => R) {
  return (parent: P, args: A, ctx: Context): R => {
    requireRole(ctx.principal, STAFF, what);
    return resolve(parent, args, ctx);
  };
}

export const resolvers = {
  Query: {
    escalationQueue: staffOnly(
      'escalationQueue',
      (
        _: unknown,
        args: { status?: EscalationStatus | null; first?: number | null; after?: string | null },
        ctx: Context,
      ) => ctx.escalations.queue(parseInput(escalationStatusSchema, args.status ?? 'WAITING'), args),
    ),
    escalation: staffOnly('escalation', (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.loaders.escalationById.load(parseInput(idSchema, args.id)),
    ),
    advisors: staffOnly('advisors', (_: unknown, args: { status?: AdvisorStatus | null }, ctx: Context) =>
      ctx.advisors.list(args.status ? parseInput(advisorStatusSchema, args.status) : undefined),
    ),
    advisor: staffOnly('advisor', (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.loaders.advisorById.load(parseInput(idSchema, args.id)),
    ),
  },
  Mutation: {
    escalateClaim: staffOnly('escalateClaim', (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.escalate(parseInput(escalateClaimInput, args.input), ctx.caller),
    ),
    assignEscalation: staffOnly('assignEscalation', (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.assign(parseInput(assignEscalationInput, args.input), ctx.caller),
    ),
    // the holder, or a supervisor (checked on the locked entry: EscalationService.checkActor)
    startEscalation: staffOnly('startEscalation', (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.start(parseInput(startEscalationInput, args.input), ctx.caller),
    ),
    resolveEscalation: staffOnly('resolveEscalation', (_: unknown, args: { input: unknown }, ctx: Context) =>
      ctx.escalations.resolve(parseInput(resolveEscalationInput, args.input), ctx.caller),
    ),
    registerAdvisor: (_: unknown, args: { input: unknown }, ctx: Context) => {
      requireRole(ctx.principal, ['supervisor', 'system'], 'registerAdvisor');
      return ctx.advisors.register(parseInput(registerAdvisorInput, args.input), ctx.caller);
    },
    // an advisor sets his own status (break, back); a supervisor anyone's
    setAdvisorStatus: staffOnly('setAdvisorStatus', (_: unknown, args: { input: unknown }, ctx: Context) => {
      const input = parseInput(setAdvisorStatusInput, args.input);
      if (input.advisorId !== ctx.principal.sub) {
        requireRole(ctx.principal, ['supervisor', 'system'], "setting another advisor's status");
      }
      return ctx.advisors.setStatus(input, ctx.caller);
    }),
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
  Advisor: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.advisorById.load(ref.id),
    assignments: (advisor: { id: string }, args: { status?: EscalationStatus | null }, ctx: Context) =>
      ctx.loaders
        .assignmentsByAdvisor(args.status ? parseInput(escalationStatusSchema, args.status) : undefined)
        .load(advisor.id),
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
