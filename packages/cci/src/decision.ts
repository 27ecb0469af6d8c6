// Step 5 of the seed's conversation flow ("Décision Autonome vs Escalade") and its automatic
// escalation triggers ("Système d'Escalade"). "Documents manquants" is an alert, and
// "Délai > 5 jours" a claims-lifecycle timer: neither belongs to this decision.
import { CciError } from './errors';
import { type ClaimFacts, hasInjuries } from './facts';
import { CCI_MAX, CCI_MIN, type CciPolicy, type CciResult } from './policy';
import { scoreClaim } from './score';

/** Glossary: type_traitement ('autonome', 'escalade', 'expert'). */
export type Handling = 'AUTONOMOUS' | 'ESCALATED' | 'EXPERT';

export interface CciThresholds {
  /** A score strictly below this is handled autonomously (seed: 40). */
  autonomousBelow: number;
  /** A score strictly above this escalates to an advisor (seed: 60). */
  escalateAbove: number;
}

export const DEFAULT_THRESHOLDS: CciThresholds = Object.freeze({ autonomousBelow: 40, escalateAbove: 60 });

export type EscalationTriggerCode = 'CCI_ABOVE_THRESHOLD' | 'INJURIES' | 'THIRD_PARTY_RESPONSIBLE';

export interface EscalationTrigger {
  code: EscalationTriggerCode;
  /** French, shown to the advisor who takes the escalated claim. */
  reason: string;
}

export interface ClaimDecision {
  cci: CciResult;
  handling: Handling;
  /** Empty unless handling is ESCALATED. */
  triggers: EscalationTrigger[];
  thresholds: CciThresholds;
}

/**
 * Decides how a claim is handled:
 * - ESCALATED (live transfer to an advisor) when any trigger fires: CCI > escalateAbove,
 *   injuries, or a responsible third party, whatever the score;
 * - otherwise AUTONOMOUS when CCI < autonomousBelow;
 * - otherwise (the band the seed leaves open) EXPERT: the bot completes the declaration
 *   without a transfer and the claim waits for a claims expert's review before any
 *   settlement (docs/cci.md explains the choice).
 */
export function decideClaim(
  facts: ClaimFacts,
  options: { policy?: CciPolicy; thresholds?: CciThresholds } = {},
): ClaimDecision {
  const thresholds = parseThresholds(options.thresholds ?? DEFAULT_THRESHOLDS);
  const cci = scoreClaim(facts, options.policy);
  const triggers: EscalationTrigger[] = [];
  if (cci.score > thresholds.escalateAbove) {
    triggers.push({
      code: 'CCI_ABOVE_THRESHOLD',
      reason: `Indice de complexité (CCI) de ${cci.score}, supérieur au seuil d'escalade de ${thresholds.escalateAbove}`,
    });
  }
  if (hasInjuries(facts)) {
    triggers.push({
      code: 'INJURIES',
      reason: 'Blessures déclarées : prise en charge par un conseiller requise',
    });
  }
  if (facts.thirdPartyResponsible === true) {
    triggers.push({
      code: 'THIRD_PARTY_RESPONSIBLE',
      reason: 'Tiers responsable : un recours contre le tiers doit être engagé par un conseiller',
    });
  }
  const handling: Handling =
    triggers.length > 0 ? 'ESCALATED' : cci.score < thresholds.autonomousBelow ? 'AUTONOMOUS' : 'EXPERT';
  return { cci, handling, triggers, thresholds };
}

/**
 * Validates thresholds coming from configuration. A missing value takes its default (40 / 60);
 * numbers and numeric strings (environment variables) are accepted; both must be integers
 * with 0 <= autonomousBelow <= escalateAbove <= 100.
 * Throws CciError 'CCI.INVALID_THRESHOLDS' naming every problem.
 */
export function parseThresholds(input: {
  autonomousBelow?: unknown;
  escalateAbove?: unknown;
}): CciThresholds {
  const problems: string[] = [];
  const autonomousBelow = readThreshold(
    input.autonomousBelow,
    'autonomousBelow',
    DEFAULT_THRESHOLDS.autonomousBelow,
    problems,
  );
  const escalateAbove = readThreshold(
    input.escalateAbove,
    'escalateAbove',
    DEFAULT_THRESHOLDS.escalateAbove,
    problems,
  );
  if (problems.length === 0 && autonomousBelow > escalateAbove) {
    problems.push(`autonomousBelow (${autonomousBelow}) must not exceed escalateAbove (${escalateAbove})`);
  }
  if (problems.length > 0) throw new CciError('CCI.INVALID_THRESHOLDS', problems);
  return { autonomousBelow, escalateAbove };
}

function readThreshold(value: unknown, name: string, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(parsed) || parsed < CCI_MIN || parsed > CCI_MAX) {
    const shown =
      typeof value === 'string'
        ? JSON.stringify(value)
        : typeof value === 'number'
          ? String(value)
          : typeof value;
    problems.push(`${name} must be an integer between ${CCI_MIN} and ${CCI_MAX} (got ${shown})`);
    return fallback;
  }
  return parsed;
}
