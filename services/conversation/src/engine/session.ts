// A client's message with the directory lookups it triggers answered: the one turn loop of
// every caller. The offline chat, the benchmark and tests hold the directory in memory
// (`respond`); the bot service reads its database projection (`respondAsync`). Both drive the
// same loop, so a lookup is played the same way whoever answers it.
import type { ConversationContext } from './context';
import type { DirectoryClient, DirectoryLookup, DirectoryLookupRequest } from './directory';
import { handleTurn } from './dialogue';
import type { EngineInput, EngineOptions, TurnResult } from './turn';

/** A directory read asynchronously (the service's projection, inside the turn's transaction). */
export type AsyncDirectoryLookup = (matricule: string) => Promise<DirectoryClient | null>;

/** A lookup answer never asks for another lookup; the bound is a guard, not a rule. */
const MAX_LOOKUPS = 2;

/** Yields each lookup the engine requests and resumes with its answer; returns the whole turn. */
function* turnLoop(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  options: EngineOptions,
): Generator<DirectoryLookupRequest, TurnResult, DirectoryClient | null> {
  let result = handleTurn(context, input, now, options);
  const replies = [...result.replies];
  const outcomes = [...result.outcomes];
  for (let i = 0; i < MAX_LOOKUPS && result.request; i += 1) {
    const { matricule } = result.request;
    const client = yield result.request;
    result = handleTurn(result.context, { type: 'directory_result', matricule, client }, now, options);
    replies.push(...result.replies);
    outcomes.push(...result.outcomes);
  }
  return { context: result.context, replies, request: result.request, outcomes };
}

export function respond(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  directory: DirectoryLookup,
  options: EngineOptions = {},
): TurnResult {
  const loop = turnLoop(context, input, now, options);
  let step = loop.next();
  while (!step.done) step = loop.next(directory(step.value.matricule));
  return step.value;
}

export async function respondAsync(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  directory: AsyncDirectoryLookup,
  options: EngineOptions = {},
): Promise<TurnResult> {
  const loop = turnLoop(context, input, now, options);
  let step = loop.next();
  while (!step.done) step = loop.next(await directory(step.value.matricule));
  return step.value;
}
