import { requireRole } from '@crm/auth';
import { parseInput } from '@crm/subgraph';
import { staffOnly } from '../authorization';
import { type Context } from '../context';
import { escalationStatusSchema } from '../escalation/escalation.inputs';
import type {
  AdvisorAssignmentsArgs,
  MutationRegisterAdvisorArgs,
  MutationSetAdvisorStatusArgs,
  QueryAdvisorArgs,
  QueryAdvisorsArgs,
} from '../generated/graphql';
import { idSchema } from '../shared/inputs';
import { advisorStatusSchema, registerAdvisorInput, setAdvisorStatusInput } from './advisor.inputs';

export const advisorResolvers = {
  Query: {
    advisors: staffOnly('advisors', (_: unknown, args: QueryAdvisorsArgs, ctx: Context) =>
      ctx.advisors.list(args.status ? parseInput(advisorStatusSchema, args.status) : undefined),
    ),
    advisor: staffOnly('advisor', (_: unknown, args: QueryAdvisorArgs, ctx: Context) =>
      ctx.loaders.advisorById.load(parseInput(idSchema, args.id)),
    ),
  },
  Mutation: {
    registerAdvisor: (_: unknown, args: MutationRegisterAdvisorArgs, ctx: Context) => {
      requireRole(ctx.principal, ['supervisor', 'system'], 'registerAdvisor');
      return ctx.advisors.register(parseInput(registerAdvisorInput, args.input), ctx.caller, ctx.audit);
    },
    // an advisor sets his own status (break, back); a supervisor anyone's
    setAdvisorStatus: staffOnly(
      'setAdvisorStatus',
      (_: unknown, args: MutationSetAdvisorStatusArgs, ctx: Context) => {
        const input = parseInput(setAdvisorStatusInput, args.input);
        if (input.advisorId !== ctx.principal.sub) {
          requireRole(ctx.principal, ['supervisor', 'system'], "setting another advisor's status");
        }
        return ctx.advisors.setStatus(input, ctx.caller, ctx.audit);
      },
    ),
  },
  Advisor: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.advisorById.load(ref.id),
    assignments: (advisor: { id: string }, args: AdvisorAssignmentsArgs, ctx: Context) =>
      ctx.loaders
        .assignmentsByAdvisor(args.status ? parseInput(escalationStatusSchema, args.status) : undefined)
        .load(advisor.id),
  },
};
