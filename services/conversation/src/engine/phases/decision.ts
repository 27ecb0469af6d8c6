// Phase decision: the recap is confirmed, the CCI policy decides (autonomous, expert or
// escalated, seed step 5) and the intake is complete. An escalated claim is also handed to an
// advisor.
import {
  type ClaimDecision,
  type ClaimFacts,
  decideClaim,
  type Handling,
  daysSinceEvent,
  priorClaimsLast12Months,
} from '@crm/cci';
import type { CollectedData, ConversationContext, DecisionLabel } from '../context';
import { wantedContractType } from '../contracts';
import type { DirectoryClient } from '../directory';
import { fr } from '../messages.fr';
import { parisToInstant } from '../nlu/clock';
import type { HandoffRequested, IntakeClaim, IntakeCompleted } from '../outcomes';
import type { Turn } from '../turn';

/** The CCI facts of the collected claim, as of `now`. */
export function claimFactsOf(context: ConversationContext, now: Date): ClaimFacts {
  const c = context.collected;
  const facts: ClaimFacts = { claimType: c.claimType ?? 'collision' };
  if (c.injuries !== undefined) facts.injuries = c.injuries;
  if (c.thirdPartyInvolved !== undefined) facts.thirdPartyInvolved = c.thirdPartyInvolved;
  if (c.thirdPartyResponsible !== undefined) facts.thirdPartyResponsible = c.thirdPartyResponsible;
  if (c.amicableReport !== undefined) facts.amicableReport = c.amicableReport;
  if (c.policeReport !== undefined) facts.policeReport = c.policeReport;
  if (c.estimatedDamage !== undefined) facts.estimatedDamage = c.estimatedDamage;
  if (c.documentsProvided !== undefined) facts.documentsProvided = c.documentsProvided;
  // the days the claims service will count, from the day it will record (@crm/cci's rule)
  if (c.occurredLocal)
    facts.daysSinceEvent = daysSinceEvent(recordedDayOf(c, now), now.toISOString().slice(0, 10));
  const profile = context.dialogue.profile;
  if (profile) addProfileFacts(facts, c, profile, now);
  else facts.contractStatus = 'inconnu';
  return facts;
}

function addProfileFacts(facts: ClaimFacts, c: CollectedData, profile: DirectoryClient, now: Date): void {
  const contract = profile.contracts.find((k) => k.contractId === c.contractId);
  facts.contractStatus = contract ? contract.status : 'inconnu';
  const wanted = c.claimType ? wantedContractType(c.claimType, c.description ?? '') : null;
  if (wanted) facts.coverageApplies = profile.contracts.some((k) => k.type === wanted);
  // counted as the claims service will count them when it opens the claim (@crm/cci's rule),
  // from the day it will record: the score the bot decides on is the claim's
  facts.priorClaimsLast12Months = priorClaimsLast12Months(
    recordedDayOf(c, now),
    profile.claims.map((claim) => claim.occurredOn),
  );
}

/** When it occurred, as the intake tells the claims service: the day named, and the instant (UTC) when a time was. */
function occurrenceOf(c: CollectedData): Pick<IntakeClaim, 'occurredOn' | 'occurredAtLocal' | 'occurredAt'> {
  const occurredAtLocal = c.occurredLocal && c.occurredLocal.length > 10 ? c.occurredLocal : null;
  return {
    occurredOn: (c.occurredLocal ?? '').slice(0, 10),
    occurredAtLocal,
    occurredAt: occurredAtLocal ? utcOf(occurredAtLocal) : null,
  };
}

/**
 * The day the claims service records the claim under (the day of its date_sinistre, in UTC):
 * the instant's when the client gave a time, else the day he named (recorded at its start);
 * today's while he has named none.
 */
function recordedDayOf(c: CollectedData, now: Date): string {
  const { occurredOn, occurredAt } = occurrenceOf(c);
  return (occurredAt ?? occurredOn).slice(0, 10) || now.toISOString().slice(0, 10);
}

const DECISION_LABEL: Readonly<Record<Handling, DecisionLabel>> = {
  AUTONOMOUS: 'autonome',
  ESCALATED: 'escalade',
  EXPERT: 'expert',
};

export function decide(t: Turn): void {
  const facts = claimFactsOf(t.ctx, t.now);
  const decision = decideClaim(facts, t.options.thresholds ? { thresholds: t.options.thresholds } : {});
  const c = t.collected;
  c.cciScore = decision.cci.score;
  c.decision = DECISION_LABEL[decision.handling];
  const escalated = decision.handling === 'ESCALATED';
  if (decision.handling === 'AUTONOMOUS') t.say(fr.autonomous(c));
  else if (decision.handling === 'EXPERT') t.say(fr.expert());
  else t.say(fr.escalated());
  t.goTo('ended');
  t.ctx.phase = escalated ? 'transfert' : 'decision';
  t.dialogue.status = escalated ? 'transferred' : 'completed';
  const intake = intakeCompleted(t, facts, decision);
  t.outcomes.push(intake);
  if (escalated) t.outcomes.push(escalationHandoff(t, intake.claimId));
}

function intakeCompleted(t: Turn, facts: ClaimFacts, decision: ClaimDecision): IntakeCompleted {
  const c = t.collected;
  return {
    type: 'IntakeCompleted',
    conversationId: t.ctx.conversationId,
    claimId: t.ctx.claimId ?? t.dialogue.reservedClaimId,
    clientId: t.ctx.clientId ?? '',
    contractId: c.contractId ?? null,
    matricule: c.matricule ?? '',
    claim: intakeClaim(c, facts),
    facts,
    decision: {
      handling: decision.handling,
      cciScore: decision.cci.score,
      policyVersion: decision.cci.policyVersion,
      factors: decision.cci.factors,
      triggers: decision.triggers,
    },
    transcript: [...t.ctx.messages],
    completedAt: t.stamp,
  };
}

function intakeClaim(c: CollectedData, facts: ClaimFacts): IntakeClaim {
  return {
    claimType: facts.claimType,
    description: c.description ?? '',
    ...occurrenceOf(c),
    place: c.location ?? null,
    thirdPartyInvolved: c.thirdPartyInvolved ?? null,
    thirdPartyResponsible: c.thirdPartyResponsible ?? null,
    liabilityRule: c.liabilityRule ?? null,
    liabilityLabel: c.liabilityLabel ?? null,
    injuries: c.injuries ?? null,
    amicableReport: c.amicableReport ?? null,
    policeReport: c.policeReport ?? null,
    policeReportNumber: c.policeReportNumber ?? null,
    documentsProvided: c.documentsProvided ?? null,
    estimatedDamage: c.estimatedDamage ?? null,
  };
}

function escalationHandoff(t: Turn, claimId: string): HandoffRequested {
  return {
    type: 'HandoffRequested',
    conversationId: t.ctx.conversationId,
    claimId,
    clientId: t.ctx.clientId,
    reason: 'ESCALATED',
    phase: 'decision',
    collected: { ...t.collected },
    transcript: [...t.ctx.messages],
    requestedAt: t.stamp,
  };
}

/** A Paris local "YYYY-MM-DDTHH:MM" as the UTC instant (ISO 8601). */
function utcOf(local: string): string {
  const [date, time] = local.split('T');
  const [year, month, day] = (date ?? '').split('-').map(Number);
  const [hour, minute] = (time ?? '00:00').split(':').map(Number);
  return parisToInstant({
    year: year ?? 0,
    month: month ?? 1,
    day: day ?? 1,
    hour: hour ?? 0,
    minute: minute ?? 0,
  }).toISOString();
}
