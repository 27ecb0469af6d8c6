// Rules for a message posted on a claim (the seed's POST /sinistres/:id/conversation) and
// for the rows a message becomes. Pure: `now` and ids come in as arguments.
import { randomUUID } from 'node:crypto';
import { z } from '@crm/config';
import { parseInput, ValidationError, type FieldProblem } from '@crm/subgraph';
import { roleFromGraph, type MessageRole, type MessageView, type RoleValue } from './conversation.mapping';

/** texte has no limit in the seed; the MessageRecorded event caps it (10 000 characters). */
export const MAX_TEXT = 10_000;
/** texte_stt VARCHAR(500) */
export const MAX_STT_TRANSCRIPT = 500;
/** audio_url VARCHAR(255) */
export const MAX_AUDIO_URL = 255;

const optionalText = (max: number) => z.string().trim().min(1, 'must not be blank').max(max).nullish();

export const addClaimMessageSchema = z.object({
  claimId: z.uuid('must be a UUID'),
  role: z.enum(['BOT', 'USER', 'SYSTEM']),
  text: optionalText(MAX_TEXT),
  sttTranscript: optionalText(MAX_STT_TRANSCRIPT),
  sttConfidence: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').nullish(),
  audioUrl: z.url('must be a URL').max(MAX_AUDIO_URL).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export interface AddClaimMessage {
  claimId: string;
  role: MessageRole;
  text: string | null;
  sttTranscript: string | null;
  sttConfidence: number | null;
  audioUrl: string | null;
  metadata: Record<string, unknown> | null;
}

const isBlank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/** Every problem at once: the schema's and "text or sttTranscript is required". */
export function parseAddClaimMessage(input: unknown): AddClaimMessage {
  const problems: FieldProblem[] = [];
  const raw = (input ?? {}) as Record<string, unknown>;
  if (isBlank(raw.text) && isBlank(raw.sttTranscript))
    problems.push({ field: 'text', message: 'text or sttTranscript is required' });
  let parsed: z.infer<typeof addClaimMessageSchema> | undefined;
  try {
    parsed = parseInput(addClaimMessageSchema, input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length || !parsed) throw new ValidationError(problems);
  return {
    claimId: parsed.claimId,
    role: parsed.role,
    text: parsed.text ?? null,
    sttTranscript: parsed.sttTranscript ?? null,
    sttConfidence: parsed.sttConfidence == null ? null : roundConfidence(parsed.sttConfidence),
    audioUrl: parsed.audioUrl ?? null,
    metadata: parsed.metadata ?? null,
  };
}

/** confiance_stt is DECIMAL(3,2): round here so the row and the event carry the same value. */
export const roundConfidence = (value: number): number => Math.round(value * 100) / 100;

/** The values of one historique_conversation row: the graph's message, with the database's role. */
export type NewMessage = Omit<MessageView, 'role'> & { role: RoleValue };

export function claimMessage(id: string, cmd: AddClaimMessage, now: Date): NewMessage {
  return {
    id,
    claimId: cmd.claimId,
    conversationId: null,
    role: roleFromGraph(cmd.role),
    text: cmd.text,
    sttTranscript: cmd.sttTranscript,
    sttConfidence: cmd.sttConfidence,
    audioUrl: cmd.audioUrl,
    timestamp: now,
    metadata: cmd.metadata,
    sequence: null,
    advisorId: null,
  };
}

/**
 * A message written in a conversation (the client's words kept for an advisor, the advisor's,
 * what the client is told about the handoff); numbered when written (insertNumbered).
 */
export function conversationMessage(
  conversation: { id: string; claimId: string | null },
  role: RoleValue,
  text: string,
  now: Date,
  extra: Partial<Pick<NewMessage, 'sttConfidence' | 'advisorId'>> = {},
): NewMessage {
  return {
    id: randomUUID(),
    claimId: conversation.claimId,
    conversationId: conversation.id,
    role,
    text,
    sttTranscript: null,
    sttConfidence: extra.sttConfidence ?? null,
    audioUrl: null,
    timestamp: now,
    metadata: null,
    sequence: null,
    advisorId: extra.advisorId ?? null,
  };
}

/** Messages of one conversation numbered from `first` on, in their order. */
export function numbered<T extends { sequence: number | null }>(messages: readonly T[], first: number): T[] {
  return messages.map((m, i) => ({ ...m, sequence: first + i }));
}
