// ClaimEscalationRequested (published by the claims service) -> an entry in the queue. The
// event's data is read defensively: its schema (schemas/events/claims/) is owned and evolved
// by the claims service, so this reads every shape it has had or is announced to have
// (reasons as codes, triggers as codes or { code, reason }, an injuries flag, a CCI score)
// instead of trusting one generated type.
import { isUuid } from '@crm/subgraph';
import { rejectEvent } from '@crm/events';
import { type EscalateClaimInput } from './escalation.inputs';
import { normalizeReasons } from './escalation.rules';

/** the limits of escalateClaim's input and of EscalationQueued */
const MAX_REASONS = 10;
const MAX_REASON_LENGTH = 200;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** A reason code from a string or a trigger object ({ code } as @crm/cci builds it). */
function reasonOf(item: unknown): string | undefined {
  if (isRecord(item)) return text(item.code) ?? text(item.trigger) ?? text(item.type) ?? text(item.reason);
  return text(item);
}

function cciScoreOf(data: Record<string, unknown>): number | undefined {
  const raw = data.cciScore ?? (isRecord(data.cci) ? data.cci.score : data.cci);
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return undefined;
  return Math.min(100, Math.max(0, Math.round(raw)));
}

/**
 * The escalation the event asks for. Refused (dead-lettered by the backbone with
 * EVENT.REJECTED, so nothing is lost) when the claim id is not a UUID or no reason is given.
 */
export function escalationFromRequest(data: unknown): EscalateClaimInput {
  if (!isRecord(data)) throw rejectEvent('ClaimEscalationRequested: data is not an object');
  const claimId = text(data.claimId);
  if (!claimId || !isUuid(claimId)) {
    throw rejectEvent(`ClaimEscalationRequested: claimId ${JSON.stringify(data.claimId)} is not a UUID`);
  }
  const clientId = text(data.clientId);
  const items = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
  const listed = [...items(data.reasons), ...items(data.triggers)]
    .map(reasonOf)
    .filter((r): r is string => r !== undefined);
  // the flags say the same as the triggers; they also count when sent alone
  if (data.injuries === true) listed.push('INJURIES');
  if (data.thirdPartyResponsible === true) listed.push('THIRD_PARTY_RESPONSIBLE');
  const reasons = normalizeReasons(listed.map((r) => r.slice(0, MAX_REASON_LENGTH))).slice(0, MAX_REASONS);
  if (!reasons.length) throw rejectEvent('ClaimEscalationRequested: no reason given');
  const cciScore = cciScoreOf(data);
  return {
    claimId: claimId.toLowerCase(),
    // a client id that is not a UUID cannot be a reference this graph resolves: left out
    clientId: clientId && isUuid(clientId) ? clientId.toLowerCase() : undefined,
    reasons,
    cciScore,
  };
}
