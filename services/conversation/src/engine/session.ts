// A client's message with the requests it triggers answered: the one turn loop of every
// caller. The offline chat, the benchmark and tests hold the directory in memory (`respond`);
// the bot service reads its database projection and checks personal codes (`respondAsync`).
// Both drive the same loop, so a lookup or a code check is played the same way whoever
// answers it.
import type { ConversationContext } from './context';
import {
  authenticatorOf,
  type AuthenticationAnswer,
  type Authenticator,
  type DirectoryLookup,
  type EngineRequest,
} from './directory';
import { handleTurn } from './dialogue';
import type { EngineInput, EngineOptions, TurnResult } from './turn';

/** The caller's side of authentication, answered asynchronously (the service). */
export interface AsyncAuthenticator {
  lookup(matricule: string): Promise<AuthenticationAnswer>;
  checkPin(matricule: string, pin: string): Promise<AuthenticationAnswer>;
}

/** A lookup and a code check in one turn at most; the bound is a guard, not a rule. */
const MAX_REQUESTS = 3;

/** The input that answers `request`. */
function answerOf(request: EngineRequest, answer: AuthenticationAnswer): EngineInput {
  const type = request.kind === 'directory_lookup' ? 'directory_result' : 'pin_result';
  return {
    type,
    matricule: request.matricule,
    client: answer.client,
    ...(answer.locked ? { locked: true } : {}),
  };
}

/** Yields each request the engine makes and resumes with its answer; returns the whole turn. */
function* turnLoop(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  options: EngineOptions,
): Generator<EngineRequest, TurnResult, AuthenticationAnswer> {
  let result = handleTurn(context, input, now, options);
  const replies = [...result.replies];
  const outcomes = [...result.outcomes];
  const denials = [...result.denials];
  for (let i = 0; i < MAX_REQUESTS && result.request; i += 1) {
    const request = result.request;
    const answer = yield request;
    result = handleTurn(result.context, answerOf(request, answer), now, options);
    replies.push(...result.replies);
    outcomes.push(...result.outcomes);
    denials.push(...result.denials);
  }
  return { context: result.context, replies, request: result.request, outcomes, denials };
}

const ask = (authenticator: Authenticator, request: EngineRequest): AuthenticationAnswer =>
  request.kind === 'directory_lookup'
    ? authenticator.lookup(request.matricule)
    : authenticator.checkPin(request.matricule, request.pin);

export function respond(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  directory: DirectoryLookup | Authenticator,
  options: EngineOptions = {},
): TurnResult {
  const authenticator = typeof directory === 'function' ? authenticatorOf(directory) : directory;
  const loop = turnLoop(context, input, now, options);
  let step = loop.next();
  while (!step.done) step = loop.next(ask(authenticator, step.value));
  return step.value;
}

export async function respondAsync(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  authenticator: AsyncAuthenticator,
  options: EngineOptions = {},
): Promise<TurnResult> {
  const loop = turnLoop(context, input, now, options);
  let step = loop.next();
  while (!step.done) {
    const request = step.value;
    const answer =
      request.kind === 'directory_lookup'
        ? await authenticator.lookup(request.matricule)
        : await authenticator.checkPin(request.matricule, request.pin);
    step = loop.next(answer);
  }
  return step.value;
}
