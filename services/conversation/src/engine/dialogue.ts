// The conversation engine: a pure, deterministic state machine over the seed's phases
// (auth -> description -> sinistre_details -> constat -> documents -> decision | transfert,
// and suivi for an existing claim). One call = one turn: context + input + clock in, new
// context + bot replies + at most one directory request + outcomes out. No I/O, no Date.now.
// This file routes a turn to the handler of the pending question; each phase's handling
// lives in phases/.
import { isSlotStep, type ConversationContext, type ConversationMessage } from './context';
import { fr } from './messages.fr';
import { isFollowUpRequest, isHumanRequest } from './nlu/intents';
import { onDirectoryResult, onIdentity, onMatricule, onPin, onPinResult } from './phases/authentication';
import { mayHoldPin, PIN_MASK } from './nlu/pin';
import { onDescription } from './phases/description';
import { onSlotAnswer } from './phases/details';
import { enterFollowUp, onFollowUpMore } from './phases/follow-up';
import { onCorrection, onRecap } from './phases/recap';
import { resumeAfterAdvisor } from './phases/resume';
import { refreshFile } from './progress';
import { failed, transfer } from './phases/transfer';
import {
  type EngineInput,
  type EngineOptions,
  resolveOptions,
  Turn,
  type TurnResult,
  type UserMessageInput,
} from './turn';

export interface ConversationStart {
  conversationId: string;
  /** The id the caller reserves for the claim this conversation may declare (sinistre_id). */
  claimId: string;
  now: Date;
}

/**
 * An advisor handed the client back to the bot: it resumes at the question the transfer
 * interrupted (or offers further help once the declaration is over). No input from the client.
 */
export function resumeConversation(
  context: ConversationContext,
  now: Date,
  options: EngineOptions = {},
): TurnResult {
  const t = new Turn(context, now, resolveOptions(options));
  resumeAfterAdvisor(t);
  return finish(t);
}

/** Opens a conversation: the greeting and a fresh context. */
export function startConversation(start: ConversationStart): TurnResult {
  const context: ConversationContext = {
    conversationId: start.conversationId,
    claimId: null,
    clientId: null,
    phase: 'auth',
    collected: {},
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
    return finish(t);
  }
  if (input.type === 'pin_result') {
    onPinResult(t, input);
    return finish(t);
  }
  // the answer to the code question never reaches the transcript (context, history, events)
  const secret = t.dialogue.step === 'ask_pin' && mayHoldPin(input.text);
  const message: ConversationMessage = {
    role: 'user',
    text: secret ? PIN_MASK : input.text,
    timestamp: t.stamp,
  };
  if (input.sttConfidence !== undefined) message.sttConfidence = input.sttConfidence;
  t.ctx.messages.push(message);
  onUserMessage(t, input);
  return finish(t);
}

/** The turn's result, with the claim file's CCI and completeness recomputed from what it holds. */
function finish(t: Turn): TurnResult {
  refreshFile(t.ctx, t.now);
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
    t.request = { kind: 'directory_lookup', matricule: t.collected.matricule ?? '' };
    return;
  }
  const understood = dispatch(t, text);
  if (understood) t.dialogue.failures = 0;
}

/** Routes the message to the handler of the current question; false = not understood (already handled). */
function dispatch(t: Turn, text: string): boolean {
  const step = t.dialogue.step;
  if (isSlotStep(step)) return onSlotAnswer(t, step, text);
  switch (step) {
    case 'ask_matricule':
      return onMatricule(t, text);
    case 'ask_pin':
      return onPin(t, text);
    case 'confirm_identity':
      return onIdentity(t, text);
    case 'describe':
      // "où en est mon dossier ?" instead of a description: the client came for a follow-up
      if (isFollowUpRequest(text)) {
        enterFollowUp(t);
        return true;
      }
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
  }
}
