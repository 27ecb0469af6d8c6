// Input schemas of the claim mutations and queries (zod, through parseInput: every problem
// at once, VALIDATION.FAILED), applied once at each edge (resolvers, the intake consumer):
// the service takes what they return. Lengths are the seed's column sizes.
import { parseInput, ValidationError, type FieldProblem } from '@crm/subgraph';
import { z } from 'zod';
import { RECORDABLE_ACTIVITY_KINDS } from './claim-activity.rules';
import { CLAIM_STATUSES, CLAIM_TYPES } from './claim.mapping';
import { startOfClaimDay } from './claim.rules';
import { SETTABLE_ACTION_STATUSES } from './recommended-action.rules';

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
/** Decimal scalar values, normalised to two decimals so "2500" and "2500.00" compare equal. */
const euros = z
  .string()
  .regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be a non-negative amount with at most 2 decimals')
  .transform((s) => {
    const [int = '0', dec = ''] = s.split('.');
    return `${BigInt(int).toString()}.${dec.padEnd(2, '0')}`;
  });
const photoUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);
const uuid = z.uuid('must be a UUID');

export const CHANNELS = ['CHAT', 'VOICE', 'WEB', 'ADVISOR'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Declarative fields shared by openClaim and updateClaim (null clears, on update). */
const declarative = {
  description: text(10_000).nullish(),
  location: text(255).nullish(),
  thirdPartyInvolved: z.boolean().nullish(),
  thirdPartyName: text(100).nullish(),
  thirdPartyContact: text(20).nullish(),
  thirdPartyResponsible: z.boolean().nullish(),
  amicableReport: z.boolean().nullish(),
  amicableReportNumber: text(50).nullish(),
  policeReport: z.boolean().nullish(),
  policeReportNumber: text(50).nullish(),
  estimatedDamage: euros.nullish(),
  estimatedOn: z.iso.date('must be a date YYYY-MM-DD').nullish(),
  photoUrls: z.array(photoUrl).max(50, 'at most 50 photos').nullish(),
  /** a declared answer with no seed column: scored, kept in cci_breakdown.facts */
  injuries: z.boolean().nullish(),
};

/**
 * Answers that contradict each other (a name for a third party declared absent...). Checked
 * on the raw input next to the schema, so one response lists these and the field errors.
 */
function coherence(raw: unknown): FieldProblem[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const v = raw as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  if (v.thirdPartyInvolved === false) {
    if (v.thirdPartyResponsible === true)
      problem('thirdPartyResponsible', 'a responsible third party is an involved one');
    if (v.thirdPartyName) problem('thirdPartyName', 'given while thirdPartyInvolved is false');
    if (v.thirdPartyContact) problem('thirdPartyContact', 'given while thirdPartyInvolved is false');
  }
  if (v.amicableReport === false && v.amicableReportNumber)
    problem('amicableReportNumber', 'given while amicableReport is false');
  if (v.policeReport === false && v.policeReportNumber)
    problem('policeReportNumber', 'given while policeReport is false');
  return problems;
}

/** parseInput, plus the coherence problems: every problem of the input at once. */
function parseDeclaration<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  const problems: FieldProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        field: issue.path.join('.') || '(input)',
        message: issue.message,
      }));
  problems.push(...coherence(raw));
  if (problems.length || !result.success) throw new ValidationError(problems);
  return result.data;
}

const notInFuture = (now: Date) => (d: Date) => d.getTime() <= now.getTime() + 5 * 60_000;

export const openClaimSchema = (now: Date, { contractOptional = false } = {}) =>
  z.object({
    clientId: uuid,
    contractId: contractOptional ? uuid.nullish() : uuid,
    occurredAt: z.date('must be a DateTime').refine(notInFuture(now), 'must not be in the future'),
    /** false: the day is known, not the hour (occurredAt is kept as that day's start, UTC) */
    occurredTimeKnown: z.boolean().nullish(),
    type: z.enum(CLAIM_TYPES),
    caseId: z.string().min(1).max(200).nullish(),
    channel: z.enum(CHANNELS).nullish(),
    ...declarative,
  });
export type OpenClaimInput = z.infer<ReturnType<typeof openClaimSchema>>;
export const parseOpenClaim = (
  raw: unknown,
  now: Date,
  options: { contractOptional?: boolean } = {},
): OpenClaimInput => dayOnlyAtItsStart(parseDeclaration(openClaimSchema(now, options), raw));

export const updateClaimSchema = (now: Date) =>
  z.object({
    id: uuid,
    occurredAt: z.date('must be a DateTime').refine(notInFuture(now), 'must not be in the future').optional(),
    /** false: the day is known, not the hour; given with occurredAt, or alone for the recorded one */
    occurredTimeKnown: z.boolean().optional(),
    type: z.enum(CLAIM_TYPES).optional(),
    /** the updatedAt the caller read: the change applies only if it still holds (WRITE.STALE) */
    expectedUpdatedAt: z.date('must be a DateTime').nullish(),
    ...declarative,
  });
export type UpdateClaimInput = z.infer<ReturnType<typeof updateClaimSchema>>;
export const parseUpdateClaim = (raw: unknown, now: Date): UpdateClaimInput =>
  dayOnlyAtItsStart(parseDeclaration(updateClaimSchema(now), raw));

/**
 * A day told without its hour is recorded at that day's start (UTC), whatever instant came
 * with it: the day is what counts (the prior claims, the declaration's delay), and a console
 * shows the day alone (Claim.occurredTimeKnown).
 */
function dayOnlyAtItsStart<
  T extends { occurredAt?: Date | undefined; occurredTimeKnown?: boolean | null | undefined },
>(input: T): T {
  if (input.occurredTimeKnown !== false || !input.occurredAt) return input;
  return { ...input, occurredAt: startOfClaimDay(input.occurredAt) };
}

export const claimsFilterSchema = z
  .object({
    clientId: uuid.nullish(),
    status: z.enum(CLAIM_STATUSES).nullish(),
    cciMin: z.number().int().min(0).max(100).nullish(),
    cciMax: z.number().int().min(0).max(100).nullish(),
    includeArchived: z.boolean().nullish(),
  })
  .refine((f) => f.cciMin == null || f.cciMax == null || f.cciMin <= f.cciMax, {
    path: ['cciMax'],
    message: 'must not be below cciMin',
  });
export type ClaimsFilter = z.infer<typeof claimsFilterSchema>;

export const idSchema = z.object({ id: uuid });

export const changeStatusSchema = z.object({
  id: uuid,
  status: z.enum(CLAIM_STATUSES),
  reason: text(500).nullish(),
});

export const actionStatusSchema = z.object({
  actionId: uuid,
  status: z.enum(SETTABLE_ACTION_STATUSES, 'must be IN_PROGRESS, DONE or IGNORED'),
});

/** Clock skew tolerated between the advisor's workstation and the service. */
const ACTIVITY_FUTURE_SKEW_MS = 5 * 60_000;

/** recordClaimActivity: `at` defaults to now and cannot be in the future (it already happened). */
export function recordActivitySchema(now: Date) {
  return z.object({
    claimId: uuid,
    kind: z.enum(RECORDABLE_ACTIVITY_KINDS),
    detail: text(500).nullish(),
    at: z.coerce
      .date({ error: 'must be a date-time' })
      .refine((d) => d.getTime() <= now.getTime() + ACTIVITY_FUTURE_SKEW_MS, 'cannot be in the future')
      .nullish(),
  });
}
export type RecordActivityInput = z.infer<ReturnType<typeof recordActivitySchema>>;
export const parseRecordActivity = (raw: unknown, now: Date): RecordActivityInput =>
  parseInput(recordActivitySchema(now), raw);
