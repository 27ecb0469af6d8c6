// The only file of the claims service that reads process.env (docs/architecture.md, Configuration).
import { z } from '@crm/config';
import { isPhoneRegion, type PhoneRegion } from '@crm/contact';
import { loadEnvWithMasterKey, privacyVariables } from '@crm/privacy';
import { subgraphServiceEnv } from '@crm/subgraph';

const phoneRegion = z
  .string()
  .refine(isPhoneRegion, 'must be a region code of the phone metadata (FR, BE, TH...)');

export const envSchema = subgraphServiceEnv(4002)
  // the master key of the claims' words about people (docs/privacy.md)
  .extend(privacyVariables())
  .extend({
    /** CCI below this is handled autonomously (seed: 40); checked by @crm/cci parseThresholds */
    CCI_AUTONOMOUS_BELOW: z.coerce.number().int().min(0).max(100).optional(),
    /** CCI above this escalates to an advisor (seed: 60) */
    CCI_ESCALATE_ABOVE: z.coerce.number().int().min(0).max(100).optional(),
    /** seed « Délai > 5 jours → Escalade »: days without progress after which a claim escalates */
    CLAIM_STALL_DAYS: z.coerce.number().int().min(1).max(365).default(5),
    /** how often the stall timer looks for stalled claims (ms); the state is in the database */
    CLAIM_STALL_CHECK_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
    /**
     * issue 19: a claim that is not escalated is routed when it is opened (IN_PROGRESS,
     * EXPERT_REVIEW or AWAITING_CLIENT); false leaves it NEW for an advisor to move
     */
    CLAIM_AUTO_ROUTING: z
      .enum(['true', 'false'], 'must be true or false')
      .default('true')
      .transform((v) => v === 'true'),
    /**
     * seed 2's migration step 1 (« Dual Write »): while true, the partner ingestion also writes the
     * legacy audit_sessions shape (services/claims/README.md); off once the dashboard has switched
     */
    LEGACY_DUAL_WRITE: z
      .enum(['true', 'false'], 'must be true or false')
      .default('false')
      .transform((v) => v === 'true'),
    /** the region partners' national phone numbers are read in (ISO 3166 alpha-2; default FR) */
    PARTNER_PHONE_REGION: phoneRegion.default('FR'),
    /** per partner source, e.g. "CALENDLY=TH,SIAM_CHAT=TH"; other sources use PARTNER_PHONE_REGION */
    PARTNER_PHONE_REGIONS: z
      .string()
      .default('')
      .transform((raw, ctx) => {
        const bySource: Record<string, PhoneRegion> = {};
        for (const pair of raw
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const [source, region, extra] = pair.split('=').map((p) => p.trim());
          if (!source || !region || extra !== undefined || !isPhoneRegion(region)) {
            ctx.addIssue({ code: 'custom', message: `"${pair}" is not SOURCE=REGION (e.g. CALENDLY=TH)` });
            return z.NEVER;
          }
          bySource[source] = region;
        }
        return bySource;
      }),
  });
export type Env = z.infer<typeof envSchema>;

/** At boot: the variables, then the master key (exit 78 on either, the variable named). */
export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env =>
  loadEnvWithMasterKey(envSchema, source);
