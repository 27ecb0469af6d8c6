// One turn in progress, shared by every phase's handler: a private copy of the context that
// the handlers update, the replies, the directory request and the outcomes of the turn.
import type { CciThresholds } from '@crm/cci';
import type { CollectedData, ConversationContext, DialogueState, Phase, Step } from './context';
import type { DirectoryClient, EngineRequest } from './directory';
import type { EngineOutcome } from './outcomes';

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

export type ResolvedOptions = Required<Omit<EngineOptions, 'thresholds'>> & Pick<EngineOptions, 'thresholds'>;

export const resolveOptions = (options: EngineOptions): ResolvedOptions => ({
  minSttConfidence: options.minSttConfidence ?? DEFAULT_ENGINE_OPTIONS.minSttConfidence,
  maxFailures: options.maxFailures ?? DEFAULT_ENGINE_OPTIONS.maxFailures,
  maxAuthFailures: options.maxAuthFailures ?? DEFAULT_ENGINE_OPTIONS.maxAuthFailures,
  thresholds: options.thresholds,
});

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
  /**
   * The client from the service's local projection, when the bot may read him back; null when
   * the matricule is unknown or the client set a personal code (the bot asks for it: the same).
   */
  client: DirectoryClient | null;
  /** Too many failed authentications for this matricule or address: stop trying. */
  locked?: boolean;
}

export interface PinResultInput {
  type: 'pin_result';
  /** The matricule of the code check being answered. */
  matricule: string;
  /** The client when the code was his; null for a wrong code or an unknown matricule. */
  client: DirectoryClient | null;
  /** Too many failed authentications for this matricule or address: the code was not tried. */
  locked?: boolean;
}

export type EngineInput = UserMessageInput | DirectoryResultInput | PinResultInput;

export interface TurnResult {
  context: ConversationContext;
  /** What the bot says this turn, in order (already appended to context.messages). */
  replies: string[];
  /**
   * Set when the caller must look the matricule up (answer with a directory_result) or check a
   * personal code (answer with a pin_result).
   */
  request: EngineRequest | null;
  outcomes: EngineOutcome[];
  /**
   * Matricules whose identity the person denied this turn ("non, ce n'est pas moi"): the caller
   * counts each as a failed authentication (a wrong code is counted where it is checked).
   */
  denials: string[];
}

const PHASE_OF_STEP: Readonly<Record<Step, Phase>> = {
  ask_matricule: 'auth',
  awaiting_directory: 'auth',
  ask_pin: 'auth',
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

export class Turn {
  readonly ctx: ConversationContext;
  readonly replies: string[] = [];
  readonly outcomes: EngineOutcome[] = [];
  readonly denials: string[] = [];
  request: EngineRequest | null = null;
  readonly stamp: string;

  constructor(
    previous: ConversationContext,
    readonly now: Date,
    readonly options: ResolvedOptions,
  ) {
    // copies what the handlers mutate: the caller's context is never changed
    this.ctx = {
      ...previous,
      collected: { ...previous.collected },
      messages: [...previous.messages],
      dialogue: { ...previous.dialogue, skipped: [...previous.dialogue.skipped] },
    };
    this.stamp = now.toISOString();
  }

  get collected(): CollectedData {
    return this.ctx.collected;
  }

  get dialogue(): DialogueState {
    return this.ctx.dialogue;
  }

  say(text: string): void {
    this.replies.push(text);
    this.ctx.messages.push({ role: 'bot', text, timestamp: this.stamp });
  }

  goTo(step: Step): void {
    this.ctx.dialogue.step = step;
    this.ctx.phase = PHASE_OF_STEP[step];
  }

  result(): TurnResult {
    return {
      context: this.ctx,
      replies: this.replies,
      request: this.request,
      outcomes: this.outcomes,
      denials: this.denials,
    };
  }
}
