// What the conversation's IntakeCompleted becomes for openClaim: the declaration (the same
// input an advisor would send) and the facts only the bot knows. Pure.
import type { IntakeCompletedDataV2 } from '@crm/events';
import type { OpenClaimOptions } from '../claims/claim.service';
import type { Channel } from '../claims/claim.inputs';

export interface IntakeOpening {
  /** raw openClaim input: the consumer validates it with parseOpenClaim, like the mutation's */
  input: Record<string, unknown>;
  channel: Channel;
  options: Required<Pick<OpenClaimOptions, 'id' | 'knownFacts'>> & {
    /** the bot may find no contract that applies; the GraphQL mutation always requires one */
    contractOptional: boolean;
  };
}

export function intakeOpening(data: IntakeCompletedDataV2): IntakeOpening {
  const c = data.claim;
  // a responsible third party is an involved one (@crm/cci hasThirdParty); the bot may
  // have recorded only the answer it asked last
  const involved = c.thirdPartyResponsible === true ? true : c.thirdPartyInvolved;
  const input: Record<string, unknown> = {
    clientId: data.clientId,
    contractId: data.contractId,
    // no time given: the calendar day the client named, at its start (date_sinistre is a
    // timestamp), its hour recorded as unknown
    occurredAt: new Date(c.occurredAt ?? `${c.occurredOn}T00:00:00.000Z`),
    occurredTimeKnown: c.occurredAt != null,
    type: c.claimType,
    description: c.description.trim() ? c.description : null,
    location: c.place,
    thirdPartyInvolved: involved,
    thirdPartyResponsible: c.thirdPartyResponsible,
    amicableReport: c.amicableReport,
    policeReport: c.policeReport,
    // a number without an intervention would contradict the answer (VALIDATION.FAILED)
    policeReportNumber: c.policeReport === false ? null : c.policeReportNumber,
    estimatedDamage: c.estimatedDamage,
    injuries: c.injuries,
    channel: data.channel,
  };
  const knownFacts: IntakeOpening['options']['knownFacts'] = {};
  if (data.facts.contractStatus !== undefined) knownFacts.contractStatus = data.facts.contractStatus;
  if (data.facts.coverageApplies !== undefined) knownFacts.coverageApplies = data.facts.coverageApplies;
  // the bot asked whether documents exist; no photo URL travels with the event
  const documents = c.documentsProvided ?? data.facts.documentsProvided;
  if (documents != null) knownFacts.documentsProvided = documents;
  return {
    input,
    channel: data.channel,
    options: { id: data.claimId, knownFacts, contractOptional: true },
  };
}
