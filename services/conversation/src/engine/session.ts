// Convenience for callers whose directory answers synchronously (an in-memory projection: the
// offline chat, the benchmark, tests): plays a turn and resolves any lookup it requests.
import type { DirectoryLookup } from './directory';
import { type EngineInput, type EngineOptions, handleTurn, type TurnResult } from './dialogue';
import type { ConversationContext } from './context';

export function respond(
  context: ConversationContext,
  input: EngineInput,
  now: Date,
  directory: DirectoryLookup,
  options: EngineOptions = {},
): TurnResult {
  let result = handleTurn(context, input, now, options);
  const replies = [...result.replies];
  const outcomes = [...result.outcomes];
  // a lookup answer never asks for another lookup, but bound the loop anyway
  for (let i = 0; i < 2 && result.request; i += 1) {
    const { matricule } = result.request;
    result = handleTurn(
      result.context,
      { type: 'directory_result', matricule, client: directory(matricule) },
      now,
      options,
    );
    replies.push(...result.replies);
    outcomes.push(...result.outcomes);
  }
  return { context: result.context, replies, request: result.request, outcomes };
}
