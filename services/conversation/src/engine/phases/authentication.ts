// Phase auth: the matricule, the directory lookup, the personal code when the client set one,
// then "Vous êtes bien Dupont Jean, contrat ..., assuré depuis ... ?". The engine never reads
// the directory nor checks a code itself: it returns a request and the caller plays the answer
// as a directory_result or a pin_result. An unknown matricule is asked for a code like a client
// who has one, and a code given for it fails with the words of a wrong code: nobody learns from
// the bot which matricules exist (docs/security.md, The bot's authentication).
import { primaryContract } from '../contracts';
import type { DirectoryClient } from '../directory';
import { fr } from '../messages.fr';
import { parseClaimType } from '../nlu/claim-type';
import { parseConfirmation } from '../nlu/confirm';
import { isFollowUpRequest, isGreeting } from '../nlu/intents';
import { parseMatricule } from '../nlu/matricule';
import { parsePin } from '../nlu/pin';
import type { DirectoryResultInput, PinResultInput, Turn } from '../turn';
import { enterFollowUp } from './follow-up';
import { failed, transfer } from './transfer';

export function onMatricule(t: Turn, text: string): boolean {
  const matricule = parseMatricule(text);
  if (isFollowUpRequest(text)) t.dialogue.intent = 'follow_up';
  else if (parseClaimType(text)) t.dialogue.intent = 'declare';
  if (!matricule) return noMatricule(t, text);
  t.collected.matricule = matricule;
  t.dialogue.status = 'awaiting_lookup';
  t.goTo('awaiting_directory');
  t.request = { kind: 'directory_lookup', matricule };
  return true;
}

/** A first message without a matricule: answer what the client came for, then ask again. */
function noMatricule(t: Turn, text: string): boolean {
  if (isGreeting(text)) {
    t.say(fr.greetingReply());
    return true;
  }
  if (t.dialogue.intent === 'follow_up' && t.dialogue.failures === 0) {
    t.say(fr.matriculeForFollowUp());
    return true;
  }
  if (t.dialogue.intent === 'declare' && t.dialogue.failures === 0) {
    t.say(fr.matriculeForDeclaration());
    return true;
  }
  return failed(t, 'NOT_UNDERSTOOD', (attempt) => t.say(fr.matriculeNotUnderstood(attempt)));
}

export function onDirectoryResult(t: Turn, input: DirectoryResultInput): void {
  // a late or duplicate answer for another matricule changes nothing
  if (t.dialogue.status !== 'awaiting_lookup' || input.matricule !== t.collected.matricule) return;
  t.dialogue.status = 'active';
  if (input.locked) return lockedOut(t);
  // a client with a code, or a matricule nobody holds: the same question, nothing read back
  if (!input.client) {
    t.goTo('ask_pin');
    t.say(fr.askPin());
    return;
  }
  confirmIdentity(t, input.client);
}

function confirmIdentity(t: Turn, client: DirectoryClient): void {
  t.dialogue.profile = client;
  t.goTo('confirm_identity');
  t.say(fr.confirmIdentity(client, primaryContract(client)));
}

/** The answer to the code question: a code to check, none at all, or not understood. */
export function onPin(t: Turn, text: string): boolean {
  // "ah non, c'est AB-123-CE": another matricule, looked up from the start
  if (parseMatricule(text)) return onMatricule(t, text);
  const matricule = t.collected.matricule;
  const answer = parsePin(text);
  if (!matricule || answer?.kind === 'none') {
    // nothing was tried: counted in this conversation only
    authenticationFailed(t);
    return true;
  }
  if (!answer) return failed(t, 'NOT_UNDERSTOOD', (attempt) => t.say(fr.pinNotUnderstood(attempt)));
  t.request = { kind: 'pin_check', matricule, pin: answer.pin };
  return true;
}

export function onPinResult(t: Turn, input: PinResultInput): void {
  // only the answer to this conversation's question, for its matricule
  if (t.dialogue.step !== 'ask_pin' || input.matricule !== t.collected.matricule) return;
  if (input.locked) return lockedOut(t);
  if (!input.client) return authenticationFailed(t);
  confirmIdentity(t, input.client);
}

/**
 * Too many failures for this matricule (across conversations) or from this address: the bot
 * stops trying, says the neutral failure words and hands over to an advisor.
 */
function lockedOut(t: Turn): void {
  t.dialogue.authFailures += 1;
  t.dialogue.profile = null;
  t.ctx.clientId = null;
  t.ctx.collected = {};
  transfer(t, 'AUTHENTICATION_FAILED', fr.authenticationFailed());
}

/** Unknown matricule, wrong code or denied identity: the same words, so nobody learns which it was. */
function authenticationFailed(t: Turn): void {
  t.dialogue.authFailures += 1;
  t.dialogue.profile = null;
  t.ctx.clientId = null;
  t.ctx.collected = {};
  if (t.dialogue.authFailures >= t.options.maxAuthFailures) {
    transfer(t, 'AUTHENTICATION_FAILED', fr.authenticationFailed());
    return;
  }
  t.goTo('ask_matricule');
  t.say(fr.authenticationRetry());
}

export function onIdentity(t: Turn, text: string): boolean {
  const client = t.dialogue.profile;
  if (!client) {
    authenticationFailed(t);
    return true;
  }
  const answer = parseConfirmation(text);
  if (answer === 'no') {
    // counted by the caller as a failed authentication of this matricule
    t.denials.push(client.matricule);
    authenticationFailed(t);
    return true;
  }
  if (answer !== 'yes') return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.confirmIdentityAgain(client)));
  authenticate(t, client);
  if (t.dialogue.intent === 'follow_up' || isFollowUpRequest(text)) {
    enterFollowUp(t);
    return true;
  }
  t.goTo('describe');
  t.say(fr.askDescription(client));
  return true;
}

function authenticate(t: Turn, client: DirectoryClient): void {
  t.ctx.clientId = client.clientId;
  const c = t.collected;
  c.matricule = client.matricule;
  c.lastName = client.lastName;
  c.firstName = client.firstName;
  if (client.civility) c.civility = client.civility;
  const contract = primaryContract(client);
  if (contract) {
    c.contractId = contract.contractId;
    c.contractNumber = contract.contractNumber;
  }
}
