// The conversation engine: a pure, deterministic state machine over the seed's phases
// (auth -> description -> sinistre_details -> constat -> documents -> decision | transfert,
// and suivi for an existing claim). One call = one turn: context + input + clock in, new
// context + bot replies + at most one directory request + outcomes out. No I/O, no Date.now.
import { type CciThresholds, type ClaimFacts, decideClaim } from '@crm/cci';
import type {
  CollectedData,
  ConversationContext,
  ConversationMessage,
  Phase,
  SkippableSlot,
  Step,
} from './context';
import type { ContractType, DirectoryClient, DirectoryContract, DirectoryLookupRequest } from './directory';
import { type CorrectableField, describeChange, fr } from './messages.fr';
import { parseClaimType, parseClaimTypeAnswer, type ClaimType } from './nlu/claim-type';
import { daysBetween, parisLocal, parisToInstant } from './nlu/clock';
import { isUnsure, parseConfirmation } from './nlu/confirm';
import { formatDateTime, parseDateTime } from './nlu/dates';
import {
  parseAmicableReport,
  parseAmount,
  parseDocuments,
  parseInjuries,
  parsePlace,
  parsePoliceReport,
  parseReportNumber,
  parseThirdPartyInvolved,
  parseThirdPartyResponsible,
} from './nlu/entities';
import { isCorrection, isFollowUpRequest, isGoodbye, isGreeting, isHumanRequest } from './nlu/intents';
import { parseMatricule } from './nlu/matricule';
import type { EngineOutcome, HandoffReason, IntakeCompleted } from './outcomes';

export interface EngineOptions {
  /** CCI thresholds (default 40 / 60, see @crm/cci). */
  thresholds?: CciThresholds;
  /** A message transcribed with a lower confidence is not interpreted: the bot asks to repeat. */
  minSttConfidence?: number;
  /** Consecutive turns not understood (or badly heard) before a transfer to an advisor. */
  maxFailures?: number;
  /** Unknown matricules and denied identities before a transfer to an advisor. */
  maxAuthFailures?: number;
}

export const DEFAULT_ENGINE_OPTIONS = {
  minSttConfidence: 0.6,
  maxFailures: 3,
  maxAuthFailures: 2,
} as const;

export interface UserMessageInput {
  type: 'user_message';
  text: string;
  /** seed confiance_stt, 0..1, when the text comes from speech-to-text. */
  sttConfidence?: number;
}

export interface DirectoryResultInput {
  type: 'directory_result';
  /** The matricule of the request being answered. */
  matricule: string;
  /** The client from the service's local projection, or null when unknown. */
  client: DirectoryClient | null;
}

export type EngineInput = UserMessageInput | DirectoryResultInput;

export interface TurnResult {
  context: ConversationContext;
  /** What the bot says this turn, in order (already appended to context.messages). */
  replies: string[];
  /** Set when the caller must look the matricule up and answer with a directory_result. */
  request: DirectoryLookupRequest | null;
  outcomes: EngineOutcome[];
}

export interface ConversationStart {
  conversationId: string;
  /** The id the caller reserves for the claim this conversation may declare (sinistre_id). */
  claimId: string;
  now: Date;
}

type SlotStep = Extract<
  Step,
  | 'ask_date'
  | 'ask_place'
  | 'ask_third_party'
  | 'ask_third_party_responsible'
  | 'ask_injuries'
  | 'ask_constat'
  | 'ask_police'
  | 'ask_report_number'
  | 'ask_documents'
  | 'ask_amount'
>;

const PHASE_OF_STEP: Readonly<Record<Step, Phase>> = {
  ask_matricule: 'auth',
  awaiting_directory: 'auth',
  confirm_identity: 'auth',
  describe: 'description',
  ask_date: 'sinistre_details',
  ask_place: 'sinistre_details',
  ask_third_party: 'sinistre_details',
  ask_third_party_responsible: 'sinistre_details',
  ask_injuries: 'sinistre_details',
  ask_constat: 'constat',
  ask_police: 'constat',
  ask_report_number: 'constat',
  ask_documents: 'documents',
  ask_amount: 'documents',
  confirm_recap: 'decision',
  ask_correction: 'decision',
  follow_up_more: 'suivi',
  ended: 'decision',
};

/** One turn in progress: a private copy of the context that the handlers update. */
class Turn {
  readonly ctx: ConversationContext;
  readonly replies: string[] = [];
  readonly outcomes: EngineOutcome[] = [];
  request: DirectoryLookupRequest | null = null;
  readonly stamp: string;

  constructor(
    previous: ConversationContext,
    readonly now: Date,
    readonly options: Required<Omit<EngineOptions, 'thresholds'>> & Pick<EngineOptions, 'thresholds'>,
  ) {
    this.ctx = {
      ...previous,
      data_collectee: { ...previous.data_collectee },
      messages: [...previous.messages],
      dialogue: { ...previous.dialogue, skipped: [...previous.dialogue.skipped] },
    };
    this.stamp = now.toISOString();
  }

  get data(): CollectedData {
    return this.ctx.data_collectee;
  }

  get dialogue() {
    return this.ctx.dialogue;
  }

  say(texte: string): void {
    this.replies.push(texte);
    this.ctx.messages.push({ role: 'bot', texte, timestamp: this.stamp });
  }

  goTo(step: Step): void {
    this.ctx.dialogue.step = step;
    this.ctx.phase_actuelle = PHASE_OF_STEP[step];
  }

  result(): TurnResult {
    return { context: this.ctx, replies: this.replies, request: this.request, outcomes: this.outcomes };
  }
}

/** Opens a conversation: the greeting and a fresh context. */
export function startConversation(start: ConversationStart): TurnResult {
  const context: ConversationContext = {
    conversation_id: start.conversationId,
    sinistre_id: null,
    client_id: null,
    phase_actuelle: 'auth',
    data_collectee: {},
    messages: [],
    dialogue: {
      step: 'ask_matricule',
      status: 'active',
      failures: 0,
      authFailures: 0,
      intent: null,
      profile: null,
      skipped: [],
      reservedClaimId: start.claimId,
    },
  };
  const turn = new Turn(context, start.now, resolveOptions({}));
  turn.say(fr.greeting());
  return turn.result();
}

const resolveOptions = (options: EngineOptions) => ({
  minSttConfidence: options.minSttConfidence ?? DEFAULT_ENGINE_OPTIONS.minSttConfidence,
  maxFailures: options.maxFailures ?? DEFAULT_ENGINE_OPTIONS.maxFailures,
  maxAuthFailures: options.maxAuthFailures ?? DEFAULT_ENGINE_OPTIONS.maxAuthFailures,
  thresholds: options.thresholds,
});

/** Plays one turn. Pure: the same context, input, clock and options give the same result. */
export function handleTurn(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  options: EngineOptions = {},
): TurnResult {
  const t = new Turn(context, now, resolveOptions(options));
  if (input.type === 'directory_result') {
    onDirectoryResult(t, input);
    return t.result();
  }
  const message: ConversationMessage = { role: 'user', texte: input.text, timestamp: t.stamp };
  if (input.sttConfidence !== undefined) message.confiance_stt = input.sttConfidence;
  t.ctx.messages.push(message);
  onUserMessage(t, input);
  return t.result();
}

function onUserMessage(t: Turn, input: UserMessageInput): void {
  const { status } = t.dialogue;
  if (status === 'completed') return t.say(fr.afterCompletion());
  if (status === 'transferred') return t.say(fr.afterTransfer());
  if (input.sttConfidence !== undefined && input.sttConfidence < t.options.minSttConfidence) {
    // never guess from a doubtful transcription; it counts towards the transfer threshold
    failed(t, 'LOW_STT_CONFIDENCE', () => t.say(fr.askToRepeat()));
    return;
  }
  const text = input.text.trim();
  if (isHumanRequest(text)) return transfer(t, 'CLIENT_REQUEST', fr.humanRequested());
  if (status === 'awaiting_lookup') {
    t.say(fr.pleaseWait());
    t.request = { kind: 'directory_lookup', matricule: t.data.matricule ?? '' };
    return;
  }
  const understood = dispatch(t, text);
  if (understood) t.dialogue.failures = 0;
}

/** Routes the message to the handler of the current question; false = not understood (already handled). */
function dispatch(t: Turn, text: string): boolean {
  const step = t.dialogue.step;
  switch (step) {
    case 'ask_matricule':
      return onMatricule(t, text);
    case 'confirm_identity':
      return onIdentity(t, text);
    case 'describe':
      return onDescription(t, text);
    case 'confirm_recap':
      return onRecap(t, text);
    case 'ask_correction':
      return onCorrection(t, text);
    case 'follow_up_more':
      return onFollowUpMore(t, text);
    case 'awaiting_directory':
    case 'ended':
      t.say(fr.afterCompletion());
      return true;
    case 'ask_date':
    case 'ask_place':
    case 'ask_third_party':
    case 'ask_third_party_responsible':
    case 'ask_injuries':
    case 'ask_constat':
    case 'ask_police':
    case 'ask_report_number':
    case 'ask_documents':
    case 'ask_amount':
      return onSlotAnswer(t, step, text);
  }
}

/** A turn not understood: reprompt, or transfer once the client has failed too often. */
function failed(t: Turn, reason: HandoffReason, reprompt: (attempt: number) => void): boolean {
  t.dialogue.failures += 1;
  if (t.dialogue.failures >= t.options.maxFailures) {
    transfer(t, reason, fr.tooManyFailures());
  } else {
    reprompt(t.dialogue.failures);
  }
  return false;
}

function transfer(t: Turn, reason: HandoffReason, message: string): void {
  const phase = t.ctx.phase_actuelle;
  t.say(message);
  t.ctx.phase_actuelle = 'transfert';
  t.dialogue.step = 'ended';
  t.dialogue.status = 'transferred';
  t.outcomes.push({
    type: 'HandoffRequested',
    conversationId: t.ctx.conversation_id,
    claimId: t.ctx.sinistre_id,
    clientId: t.ctx.client_id,
    reason,
    phase,
    collected: { ...t.data },
    transcript: [...t.ctx.messages],
    requestedAt: t.stamp,
  });
}

// ---------------------------------------------------------------- authentication

function onMatricule(t: Turn, text: string): boolean {
  const matricule = parseMatricule(text);
  if (isFollowUpRequest(text)) t.dialogue.intent = 'follow_up';
  else if (parseClaimType(text)) t.dialogue.intent = 'declare';
  if (!matricule) {
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
  t.data.matricule = matricule;
  t.dialogue.status = 'awaiting_lookup';
  t.goTo('awaiting_directory');
  t.request = { kind: 'directory_lookup', matricule };
  return true;
}

function onDirectoryResult(t: Turn, input: DirectoryResultInput): void {
  // a late or duplicate answer for another matricule changes nothing
  if (t.dialogue.status !== 'awaiting_lookup' || input.matricule !== t.data.matricule) return;
  t.dialogue.status = 'active';
  if (!input.client) return authenticationFailed(t);
  const client = input.client;
  t.dialogue.profile = client;
  const contract = primaryContract(client);
  t.goTo('confirm_identity');
  t.say(fr.confirmIdentity(client, contract));
}

/** Unknown matricule or denied identity: the same words, so nobody learns which it was. */
function authenticationFailed(t: Turn): void {
  t.dialogue.authFailures += 1;
  t.dialogue.profile = null;
  t.ctx.client_id = null;
  t.ctx.data_collectee = {};
  if (t.dialogue.authFailures >= t.options.maxAuthFailures) {
    transfer(t, 'AUTHENTICATION_FAILED', fr.authenticationFailed());
    return;
  }
  t.goTo('ask_matricule');
  t.say(fr.authenticationRetry());
}

function onIdentity(t: Turn, text: string): boolean {
  const client = t.dialogue.profile;
  if (!client) {
    authenticationFailed(t);
    return true;
  }
  const answer = parseConfirmation(text);
  if (answer === 'no') {
    authenticationFailed(t);
    return true;
  }
  if (answer !== 'yes') return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.confirmIdentityAgain(client)));
  t.ctx.client_id = client.clientId;
  t.data.matricule = client.matricule;
  t.data.nom = client.lastName;
  t.data.prenom = client.firstName;
  if (client.civilite) t.data.civilite = client.civilite;
  const contract = primaryContract(client);
  if (contract) {
    t.data.contrat_id = contract.contractId;
    t.data.numero_contrat = contract.contractNumber;
  }
  if (t.dialogue.intent === 'follow_up' || isFollowUpRequest(text)) {
    enterFollowUp(t);
    return true;
  }
  t.goTo('describe');
  t.say(fr.askDescription(client));
  return true;
}

function primaryContract(client: DirectoryClient): DirectoryContract | undefined {
  return client.contracts.find((c) => c.status === 'actif') ?? client.contracts[0];
}

// ---------------------------------------------------------------- description and details

const VEHICLE =
  /\b(voiture|v[ée]hicule|auto|moto|scooter|camion|camionnette|utilitaire|pare-?brise|capot|r[ée]troviseur|carrosserie|pneus?|autoradio|coffre)\b/i;

function onDescription(t: Turn, text: string): boolean {
  if (isFollowUpRequest(text)) {
    enterFollowUp(t);
    return true;
  }
  const type = parseClaimTypeAnswer(text);
  if (!type) {
    return failed(t, 'NOT_UNDERSTOOD', (attempt) => t.say(fr.descriptionNotUnderstood(attempt)));
  }
  t.data.description = t.data.description ? `${t.data.description} ${text}` : text;
  setClaimType(t, type);
  t.ctx.sinistre_id = t.dialogue.reservedClaimId;
  absorbMentions(t, text);
  t.say(fr.acknowledgeClaim(type));
  askNext(t);
  return true;
}

function setClaimType(t: Turn, type: ClaimType): void {
  t.data.type_sinistre = type;
  if (type === 'blessure') t.data.blessures = true;
  const profile = t.dialogue.profile;
  if (!profile) return;
  const contract = contractFor(profile, type, t.data.description ?? '');
  if (contract) {
    t.data.contrat_id = contract.contractId;
    t.data.numero_contrat = contract.contractNumber;
  }
}

/** The contract type a claim falls under: a burglary is home insurance, a stolen car is motor. */
function wantedContractType(type: ClaimType, description: string): ContractType | null {
  switch (type) {
    case 'collision':
      return 'auto';
    case 'vol':
    case 'incendie':
    case 'degats':
      return VEHICLE.test(description) ? 'auto' : 'habitation';
    case 'blessure':
      return null;
  }
}

function contractFor(
  profile: DirectoryClient,
  type: ClaimType,
  description: string,
): DirectoryContract | undefined {
  const wanted = wantedContractType(type, description);
  const matching = profile.contracts.filter((c) => c.type === wanted);
  return matching.find((c) => c.status === 'actif') ?? matching[0] ?? primaryContract(profile);
}

/** Fills the facts a message states in passing, without overwriting what is already known. */
function absorbMentions(t: Turn, text: string, except?: SlotStep): void {
  const d = t.data;
  if (except !== 'ask_date') {
    const date = parseDateTime(text, t.now);
    if (date && !d.date_sinistre && !date.timeOnly) d.date_sinistre = formatDateTime(date);
    else if (date?.timeOnly && d.date_sinistre && d.date_sinistre.length === 10) {
      d.date_sinistre = `${d.date_sinistre}T${date.time ?? ''}`;
    }
  }
  if (except !== 'ask_place' && !d.lieu) {
    const place = parsePlace(text);
    if (place) d.lieu = place;
  }
  if (except !== 'ask_third_party_responsible' && d.tiers_responsable === undefined) {
    const responsible = parseThirdPartyResponsible(text, 'mention');
    if (responsible !== null) {
      d.tiers_responsable = responsible;
      if (responsible) d.tiers_implique = true;
    }
  }
  if (except !== 'ask_third_party' && d.tiers_implique === undefined) {
    const involved = parseThirdPartyInvolved(text, 'mention');
    if (involved !== null) d.tiers_implique = involved;
    if (
      involved &&
      d.type_sinistre === 'collision' &&
      parseThirdPartyResponsible(text, 'mention') === false
    ) {
      d.tiers_responsable = false;
    }
  }
  if (except !== 'ask_injuries' && d.blessures === undefined) {
    const injuries = parseInjuries(text, 'mention');
    if (injuries !== null) d.blessures = injuries;
  }
  if (except !== 'ask_constat' && d.constat_amiable === undefined) {
    const constat = parseAmicableReport(text, 'mention');
    if (constat !== null) d.constat_amiable = constat;
  }
  if (except !== 'ask_police' && d.police_intervenue === undefined) {
    const police = parsePoliceReport(text, 'mention');
    if (police !== null) d.police_intervenue = police;
  }
  if (except !== 'ask_report_number' && !d.numero_proces_verbal) {
    const number = parseReportNumber(text);
    if (number) d.numero_proces_verbal = number;
  }
  if (except !== 'ask_documents' && d.documents_disponibles === undefined) {
    const documents = parseDocuments(text, 'mention');
    if (documents !== null) d.documents_disponibles = documents;
  }
  if (except !== 'ask_amount' && d.estimation_dommage === undefined) {
    const amount = parseAmount(text);
    if (amount !== null) d.estimation_dommage = amount;
  }
}

const skipped = (t: Turn, slot: SkippableSlot) => t.dialogue.skipped.includes(slot);

function needsInjuries(type: ClaimType, description: string): boolean {
  if (type === 'vol') return /agress|arrach|braqu|violen|frapp/i.test(description);
  return type === 'collision' || type === 'incendie';
}

function needsPolice(type: ClaimType, d: CollectedData): boolean {
  switch (type) {
    case 'vol':
    case 'collision':
    case 'incendie':
      return true;
    case 'degats':
      return /vandal|tag|d[ée]grad|ray[ée]|crev/i.test(d.description ?? '');
    case 'blessure':
      return d.tiers_implique === true;
  }
}

/** The next question for this claim type, or the recap when everything needed is known. */
function nextStep(t: Turn): SlotStep | 'confirm_recap' {
  const d = t.data;
  const type = d.type_sinistre ?? 'collision';
  if (!d.date_sinistre) return 'ask_date';
  if (!d.lieu) return 'ask_place';
  if (type !== 'vol' && d.tiers_implique === undefined) return 'ask_third_party';
  if (d.tiers_implique && d.tiers_responsable === undefined && !skipped(t, 'tiers_responsable')) {
    return 'ask_third_party_responsible';
  }
  if (d.blessures === undefined && needsInjuries(type, d.description ?? '')) return 'ask_injuries';
  if (d.constat_amiable === undefined && (type === 'collision' || type === 'degats') && d.tiers_implique) {
    return 'ask_constat';
  }
  if (d.police_intervenue === undefined && needsPolice(type, d)) return 'ask_police';
  if (
    d.police_intervenue &&
    type === 'vol' &&
    !d.numero_proces_verbal &&
    !skipped(t, 'numero_proces_verbal')
  ) {
    return 'ask_report_number';
  }
  if (d.documents_disponibles === undefined) return 'ask_documents';
  if (d.estimation_dommage === undefined && !skipped(t, 'estimation_dommage')) return 'ask_amount';
  return 'confirm_recap';
}

function question(t: Turn, step: SlotStep): string {
  const type = t.data.type_sinistre ?? 'collision';
  switch (step) {
    case 'ask_date':
      return fr.askDate();
    case 'ask_place':
      return fr.askPlace(type);
    case 'ask_third_party':
      return fr.askThirdParty(type);
    case 'ask_third_party_responsible':
      return fr.askThirdPartyResponsible();
    case 'ask_injuries':
      return fr.askInjuries(type);
    case 'ask_constat':
      return fr.askConstat(type);
    case 'ask_police':
      return fr.askPolice(type);
    case 'ask_report_number':
      return fr.askReportNumber(type);
    case 'ask_documents':
      return fr.askDocuments(type);
    case 'ask_amount':
      return fr.askAmount();
  }
}

function askNext(t: Turn): void {
  const step = nextStep(t);
  t.goTo(step);
  t.say(step === 'confirm_recap' ? fr.recap(t.data) : question(t, step));
}

function onSlotAnswer(t: Turn, step: SlotStep, text: string): boolean {
  if (isCorrection(text)) {
    const changes = applyCorrections(t, text, step);
    if (changes.length > 0) {
      t.say(fr.correctionApplied(changes));
      askNext(t);
      return true;
    }
  }
  const d = t.data;
  const yesNo = (value: boolean | null, set: (v: boolean) => void): boolean => {
    if (value === null) return false;
    set(value);
    return true;
  };
  let understood: boolean;
  switch (step) {
    case 'ask_date': {
      const date = parseDateTime(text, t.now);
      understood = date !== null;
      if (date) d.date_sinistre = formatDateTime(date);
      break;
    }
    case 'ask_place': {
      const place = parsePlace(text) ?? freePlace(text);
      understood = place !== null;
      if (place) d.lieu = place;
      break;
    }
    case 'ask_third_party':
      understood = yesNo(parseThirdPartyInvolved(text, 'answer'), (v) => (d.tiers_implique = v));
      break;
    case 'ask_third_party_responsible': {
      const responsible = parseThirdPartyResponsible(text, 'answer');
      if (responsible === null && isUnsure(text)) {
        t.dialogue.skipped.push('tiers_responsable');
        understood = true;
      } else {
        understood = yesNo(responsible, (v) => (d.tiers_responsable = v));
      }
      break;
    }
    case 'ask_injuries':
      understood = yesNo(parseInjuries(text, 'answer'), (v) => (d.blessures = v));
      break;
    case 'ask_constat':
      understood = yesNo(parseAmicableReport(text, 'answer'), (v) => (d.constat_amiable = v));
      break;
    case 'ask_police':
      understood = yesNo(parsePoliceReport(text, 'answer'), (v) => (d.police_intervenue = v));
      break;
    case 'ask_report_number': {
      const number =
        parseReportNumber(text) ?? /\b([A-Z0-9][A-Z0-9/-]{3,})\b/i.exec(text.trim())?.[1] ?? null;
      if (number && /\d/.test(number)) {
        d.numero_proces_verbal = number;
        understood = true;
      } else {
        understood = parseConfirmation(text) === 'no' || isUnsure(text);
        if (understood) t.dialogue.skipped.push('numero_proces_verbal');
      }
      break;
    }
    case 'ask_documents':
      understood = yesNo(parseDocuments(text, 'answer'), (v) => (d.documents_disponibles = v));
      break;
    case 'ask_amount': {
      const amount = parseAmount(text) ?? bareAmount(text);
      if (amount !== null) {
        d.estimation_dommage = amount;
        understood = true;
      } else {
        understood = isUnsure(text) || parseConfirmation(text) === 'no';
        if (understood) t.dialogue.skipped.push('estimation_dommage');
      }
      break;
    }
  }
  if (!understood) {
    return failed(t, 'NOT_UNDERSTOOD', () => t.say(reprompt(t, step)));
  }
  absorbMentions(t, text, step);
  askNext(t);
  return true;
}

function reprompt(t: Turn, step: SlotStep): string {
  switch (step) {
    case 'ask_date':
      return fr.dateNotUnderstood();
    case 'ask_place':
      return fr.placeNotUnderstood();
    case 'ask_amount':
      return fr.amountNotUnderstood();
    case 'ask_report_number':
    case 'ask_third_party':
    case 'ask_third_party_responsible':
    case 'ask_injuries':
    case 'ask_constat':
    case 'ask_police':
    case 'ask_documents':
      return fr.yesNoNotUnderstood(question(t, step));
  }
}

/** An answer to "Où cela s'est-il passé ?" that names no street or city pattern: keep the words. */
function freePlace(text: string): string | null {
  if (isUnsure(text) || parseConfirmation(text) !== null) return null;
  const place = text
    .replace(/^(c'?[ée]tait|[çc]a s'?est pass[ée]|cela s'?est pass[ée]|je suis|j'?[ée]tais|euh)\s+/i, '')
    .replace(/[.!?]+$/, '')
    .trim();
  return /[a-zà-ÿ]{3,}/i.test(place) && place.length <= 120 ? place : null;
}

function bareAmount(text: string): number | null {
  const m = /^\D*(\d{1,3}(?:[ .\u202f]\d{3})+|\d+)\D*$/.exec(text.trim());
  return m?.[1] ? Number(m[1].replace(/[ .\u202f]/g, '')) : null;
}

// ---------------------------------------------------------------- corrections and recap

/**
 * Overwrites facts the client corrects ("non, c'était avant-hier", "en fait, à Lyon").
 * Only facts already known are corrected; a new fact is an answer, not a correction.
 * Returns the French description of each change.
 */
function applyCorrections(t: Turn, text: string, current?: SlotStep): string[] {
  const d = t.data;
  const changed: CorrectableField[] = [];
  const date = parseDateTime(text, t.now);
  if (date && d.date_sinistre && current !== 'ask_date') {
    const value =
      date.timeOnly && d.date_sinistre.length >= 10
        ? `${d.date_sinistre.slice(0, 10)}T${date.time ?? ''}`
        : formatDateTime(date);
    if (value !== d.date_sinistre) {
      d.date_sinistre = value;
      changed.push('date_sinistre');
    }
  }
  const place = parsePlace(text);
  if (place && d.lieu && place !== d.lieu && current !== 'ask_place') {
    d.lieu = place;
    changed.push('lieu');
  }
  const type = parseClaimType(text);
  if (type && d.type_sinistre && type !== d.type_sinistre) {
    setClaimType(t, type);
    changed.push('type_sinistre');
  }
  const booleans: [CorrectableField, boolean | null, SlotStep][] = [
    ['blessures', parseInjuries(text, 'mention'), 'ask_injuries'],
    ['constat_amiable', parseAmicableReport(text, 'mention'), 'ask_constat'],
    ['police_intervenue', parsePoliceReport(text, 'mention'), 'ask_police'],
    ['tiers_implique', parseThirdPartyInvolved(text, 'mention'), 'ask_third_party'],
    ['tiers_responsable', parseThirdPartyResponsible(text, 'mention'), 'ask_third_party_responsible'],
    ['documents_disponibles', parseDocuments(text, 'mention'), 'ask_documents'],
  ];
  for (const [field, value, step] of booleans) {
    if (value === null || step === current) continue;
    const known = d[field];
    if (typeof known === 'boolean' && known !== value) {
      (d as Record<string, unknown>)[field] = value;
      changed.push(field);
    }
  }
  const amount = parseAmount(text);
  if (
    amount !== null &&
    d.estimation_dommage !== undefined &&
    amount !== d.estimation_dommage &&
    current !== 'ask_amount'
  ) {
    d.estimation_dommage = amount;
    changed.push('estimation_dommage');
  }
  return changed.map((field) => describeChange(field, d));
}

function onRecap(t: Turn, text: string): boolean {
  const changes = applyCorrections(t, text);
  if (changes.length > 0) {
    t.say(fr.correctionApplied(changes));
    askNext(t);
    return true;
  }
  const answer = parseConfirmation(text);
  if (answer === 'yes') {
    decide(t);
    return true;
  }
  if (answer === 'no') {
    t.goTo('ask_correction');
    t.say(fr.askWhatToCorrect());
    return true;
  }
  return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.yesNoNotUnderstood(fr.recap(t.data))));
}

function onCorrection(t: Turn, text: string): boolean {
  const changes = applyCorrections(t, text);
  if (changes.length === 0) {
    if (parseConfirmation(text) === 'no' || /\b(rien|tout est bon|c'est bon)\b/i.test(text)) {
      t.goTo('confirm_recap');
      t.say(fr.recap(t.data));
      return true;
    }
    return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.correctionNotUnderstood()));
  }
  t.say(fr.correctionApplied(changes));
  askNext(t);
  return true;
}

// ---------------------------------------------------------------- decision

/** The CCI facts of the collected claim, as of `now`. */
export function claimFactsOf(context: ConversationContext, now: Date): ClaimFacts {
  const d = context.data_collectee;
  const profile = context.dialogue.profile;
  const facts: ClaimFacts = { claimType: d.type_sinistre ?? 'collision' };
  if (d.blessures !== undefined) facts.injuries = d.blessures;
  if (d.tiers_implique !== undefined) facts.thirdPartyInvolved = d.tiers_implique;
  if (d.tiers_responsable !== undefined) facts.thirdPartyResponsible = d.tiers_responsable;
  if (d.constat_amiable !== undefined) facts.amicableReport = d.constat_amiable;
  if (d.police_intervenue !== undefined) facts.policeReport = d.police_intervenue;
  if (d.estimation_dommage !== undefined) facts.estimatedDamage = d.estimation_dommage;
  if (d.documents_disponibles !== undefined) facts.documentsProvided = d.documents_disponibles;
  const today = parisLocal(now);
  if (d.date_sinistre) {
    const [y, m, day] = d.date_sinistre.slice(0, 10).split('-').map(Number);
    facts.daysSinceEvent = Math.max(0, daysBetween({ year: y ?? 0, month: m ?? 1, day: day ?? 1 }, today));
  }
  if (profile) {
    const contract = profile.contracts.find((c) => c.contractId === d.contrat_id);
    facts.contractStatus = contract ? contract.status : 'inconnu';
    const wanted = d.type_sinistre ? wantedContractType(d.type_sinistre, d.description ?? '') : null;
    if (wanted) facts.coverageApplies = profile.contracts.some((c) => c.type === wanted);
    facts.priorClaimsLast12Months = profile.claims.filter((c) => {
      const [y, m, day] = c.occurredOn.split('-').map(Number);
      const age = daysBetween({ year: y ?? 0, month: m ?? 1, day: day ?? 1 }, today);
      return age >= 0 && age <= 365;
    }).length;
  } else {
    facts.contractStatus = 'inconnu';
  }
  return facts;
}

function decide(t: Turn): void {
  const facts = claimFactsOf(t.ctx, t.now);
  const decision = decideClaim(facts, t.options.thresholds ? { thresholds: t.options.thresholds } : {});
  const d = t.data;
  d.cci_score = decision.cci.score;
  d.decision =
    decision.handling === 'AUTONOMOUS'
      ? 'autonome'
      : decision.handling === 'ESCALATED'
        ? 'escalade'
        : 'expert';
  const escalated = decision.handling === 'ESCALATED';
  if (decision.handling === 'AUTONOMOUS') t.say(fr.autonomous(d));
  else if (decision.handling === 'EXPERT') t.say(fr.expert());
  else t.say(fr.escalated());
  t.goTo('ended');
  t.ctx.phase_actuelle = escalated ? 'transfert' : 'decision';
  t.dialogue.status = escalated ? 'transferred' : 'completed';
  const occurredOn = (d.date_sinistre ?? '').slice(0, 10);
  const occurredAtLocal = d.date_sinistre && d.date_sinistre.length > 10 ? d.date_sinistre : null;
  const intake: IntakeCompleted = {
    type: 'IntakeCompleted',
    conversationId: t.ctx.conversation_id,
    claimId: t.ctx.sinistre_id ?? t.dialogue.reservedClaimId,
    clientId: t.ctx.client_id ?? '',
    contractId: d.contrat_id ?? null,
    matricule: d.matricule ?? '',
    claim: {
      claimType: facts.claimType,
      description: d.description ?? '',
      occurredOn,
      occurredAtLocal,
      occurredAt: occurredAtLocal ? utcOf(occurredAtLocal) : null,
      place: d.lieu ?? null,
      thirdPartyInvolved: d.tiers_implique ?? null,
      thirdPartyResponsible: d.tiers_responsable ?? null,
      injuries: d.blessures ?? null,
      amicableReport: d.constat_amiable ?? null,
      policeReport: d.police_intervenue ?? null,
      policeReportNumber: d.numero_proces_verbal ?? null,
      documentsProvided: d.documents_disponibles ?? null,
      estimatedDamage: d.estimation_dommage ?? null,
    },
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
  t.outcomes.push(intake);
  if (escalated) {
    t.outcomes.push({
      type: 'HandoffRequested',
      conversationId: t.ctx.conversation_id,
      claimId: intake.claimId,
      clientId: t.ctx.client_id,
      reason: 'ESCALATED',
      phase: 'decision',
      collected: { ...d },
      transcript: [...t.ctx.messages],
      requestedAt: t.stamp,
    });
  }
}

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

// ---------------------------------------------------------------- follow-up (suivi)

function enterFollowUp(t: Turn): void {
  t.dialogue.intent = 'follow_up';
  const claims = [...(t.dialogue.profile?.claims ?? [])]
    .sort((a, b) => b.occurredOn.localeCompare(a.occurredOn))
    .slice(0, 3);
  t.goTo('follow_up_more');
  t.say(claims.length === 0 ? fr.followUpNone() : fr.followUpClaims(claims));
}

function onFollowUpMore(t: Turn, text: string): boolean {
  if (isFollowUpRequest(text)) {
    enterFollowUp(t);
    return true;
  }
  if (parseClaimType(text)) {
    t.dialogue.intent = 'declare';
    return onDescription(t, text);
  }
  const answer = parseConfirmation(text);
  if (answer === 'no' || isGoodbye(text)) {
    t.say(fr.goodbye());
    t.goTo('ended');
    t.ctx.phase_actuelle = 'suivi';
    t.dialogue.status = 'completed';
    return true;
  }
  if (answer === 'yes') {
    t.dialogue.intent = 'declare';
    t.goTo('describe');
    t.say(fr.askDescriptionAgain());
    return true;
  }
  return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.anythingElse()));
}
