// What a conversation holds about a person, encrypted at rest (issue 18, docs/privacy.md): the
// words of every message (texte, texte_stt, metadata), the bot's context (what was said, the
// facts collected, the profile read back) and the reason of each change of owner (the resolution
// an advisor typed), under a data key of the conversation's own (subject: the conversation's id;
// a message posted on a claim outside any conversation: the claim's id).
// The client's erasure shreds the keys of his conversations and of his claims, so every copy of
// them (a replica, a dump, a backup) can no longer be read. The one place where conversation rows
// are sealed and opened; ConversationRepository and HandoffRepository go through it.
import type { FieldChange } from '@crm/db';
import { SubjectErasedError, type FieldReader, type PersonalDataVault, type Sql } from '@crm/privacy';
import { changedFields, sealFieldChangesIfLive } from '@crm/subgraph';
import { ERASED_AT_KEY, roleToGraph, type ConversationView } from './conversation.mapping';
import type { NewMessage } from './message.rules';

/** The field name bound to each ciphertext (its additional data). */
export const conversationField = (
  table: 'conversations' | 'historique_conversation' | 'conversation_proprietaires',
  column: string,
): string => `${table}.${column}`;
const CONTEXT_FIELD = conversationField('conversations', 'context');
const TEXT_FIELD = conversationField('historique_conversation', 'texte');
const STT_FIELD = conversationField('historique_conversation', 'texte_stt');
const METADATA_FIELD = conversationField('historique_conversation', 'metadata');
const REASON_FIELD = conversationField('conversation_proprietaires', 'raison');

/** The stored context's key holding the sealed part. */
export const SEALED_KEY = 'scelle';
/**
 * The context's keys kept in clear: ids and the phase (the row's own columns say as much; the
 * claim's id is set by SQL when the claim is opened: ConversationRepository.linkClaim). The
 * rest (data_collectee, messages, dialogue: what the person said and what the bot read back to
 * him) is sealed. The seed's key order is kept when opened: these first, then the sealed keys.
 */
export const CLEAR_CONTEXT_KEYS = ['conversation_id', 'sinistre_id', 'client_id', 'phase_actuelle'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The client the bot read back (dialogue.profile.clientId), awaiting his confirmation. */
export function profileClientOf(context: Record<string, unknown>): string | null {
  const dialogue = context.dialogue;
  if (!isRecord(dialogue) || !isRecord(dialogue.profile)) return null;
  const id = dialogue.profile.clientId;
  return typeof id === 'string' ? id : null;
}

/** The values of a message that are personal (null stays null). */
export interface MessageWords {
  text: string | null;
  sttTranscript: string | null;
  metadata: Record<string, unknown> | null;
}

/** The stored form of those values: ciphertexts; metadata a JSON string holding one. */
export interface SealedWords {
  text: string | null;
  sttTranscript: string | null;
  metadata: string | null;
}

interface MessageRef {
  id: string;
  conversationId: string | null;
  claimId: string | null;
}

/**
 * Whose key a message is under: its conversation's, else its claim's (a message posted on a
 * claim). A row with neither (written before either was required) has a key of its own.
 */
export const messageSubject = (m: MessageRef): string => m.conversationId ?? m.claimId ?? m.id;

/**
 * What a conversation's audit records keep of its state (docs/security.md, Audit log), as the
 * graph names it: how the client talks, where the bot stands, who answers him (the handoff),
 * the client and the claim it was bound to.
 */
export const AUDITED_CONVERSATION_FIELDS = [
  'channel',
  'phase',
  'status',
  'owner',
  'advisorId',
  'escalationId',
  'clientId',
  'claimId',
] as const satisfies readonly (keyof ConversationView)[];
const AUDIT_ENTITY = 'conversation';

/** What one mutation did to a conversation, as its audit record keeps it. */
export interface ConversationAudit {
  /** its state before (none: the mutation started it) and after; only the fields that differ */
  before?: ConversationView;
  after?: ConversationView;
  /** the caller's message: what was said (message, messageTranscript) and who said it */
  said?: Pick<NewMessage, 'role' | 'text' | 'sttTranscript' | 'advisorId'>;
  /** other words the caller typed, by field (closeConversation's resolution), as new values */
  typed?: Record<string, string>;
}

export class ConversationCipher {
  constructor(private readonly vault: PersonalDataVault) {}

  /**
   * The audit record's changes (docs/security.md, Audit log): each value, old and new, sealed
   * under `subject`'s key (the conversation's; a message posted on a claim: the claim's) as
   * `audit.conversation.<field>`, so the client's erasure makes them unreadable with the rest.
   * One key read, from the cache on a turn (the same key opened and sealed its context; a key the
   * transaction just made, startConversation's, is read on it). None when nothing is to be
   * kept, or when the key is shredded (the record keeps which entity, not the words). Inside the
   * mutation's transaction, give it (`tx`).
   */
  async auditChanges(
    subject: string,
    audit: ConversationAudit,
    tx?: Sql,
  ): Promise<Record<string, FieldChange> | null> {
    const old: Record<string, unknown> = {};
    const next: Record<string, unknown> = {};
    if (audit.after) {
      const before: Partial<ConversationView> = audit.before ?? {};
      for (const field of changedFields(before, audit.after, AUDITED_CONVERSATION_FIELDS))
        [old[field], next[field]] = [before[field], audit.after[field]];
    }
    if (audit.said) {
      const { role, text, sttTranscript, advisorId } = audit.said;
      Object.assign(next, {
        message: text,
        messageTranscript: sttTranscript,
        messageRole: roleToGraph(role),
        messageAdvisorId: advisorId,
      });
    }
    Object.assign(next, audit.typed);
    const fields = Object.keys(next).filter((f) => next[f] != null || old[f] != null);
    if (fields.length === 0) return null;
    return sealFieldChangesIfLive(this.vault, subject, AUDIT_ENTITY, old, next, fields, tx);
  }

  /**
   * The context as stored: its clear keys and the rest sealed. An erased conversation's marker
   * holds nothing personal and is stored as it is. SubjectErasedError when the conversation's key
   * was shredded (its client erased meanwhile).
   */
  async sealContext(
    conversationId: string,
    context: Record<string, unknown>,
    tx?: Sql,
  ): Promise<Record<string, unknown>> {
    if (ERASED_AT_KEY in context) return context;
    const stored: Record<string, unknown> = {};
    const sealed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(context))
      if ((CLEAR_CONTEXT_KEYS as readonly string[]).includes(key)) stored[key] = value;
      else sealed[key] = value;
    const writer = await this.vault.writer(conversationId, tx);
    stored[SEALED_KEY] = writer.encrypt(CONTEXT_FIELD, JSON.stringify(sealed));
    return stored;
  }

  /**
   * Crypto-shredding (the client's erasure, in its transaction): every ciphertext under this
   * conversation's (or claim's) key becomes unreadable, wherever it was copied.
   */
  shred(subject: string, tx: Sql): Promise<boolean> {
    return this.vault.shred(subject, tx);
  }

  /** Each message's personal values sealed under its subject's key (one key read per subject). */
  async sealMessages<T extends MessageWords & MessageRef>(
    messages: readonly T[],
    tx?: Sql,
  ): Promise<(Omit<T, keyof MessageWords> & SealedWords)[]> {
    const writers = new Map<string, Awaited<ReturnType<PersonalDataVault['writer']>>>();
    for (const m of messages) {
      const subject = messageSubject(m);
      if (!writers.has(subject)) writers.set(subject, await this.vault.writer(subject, tx));
    }
    return messages.map((m) => {
      const writer = writers.get(messageSubject(m))!;
      return {
        ...m,
        text: writer.seal(TEXT_FIELD, m.text),
        sttTranscript: writer.seal(STT_FIELD, m.sttTranscript),
        metadata: m.metadata === null ? null : writer.seal(METADATA_FIELD, JSON.stringify(m.metadata)),
      };
    });
  }

  /**
   * An ownership change's reason as stored, sealed under its conversation's key (inside the
   * move's transaction, give it: `tx`). Null when there is none, and when the key was shredded
   * (its client erased meanwhile): the owner changes all the same, without the words, and the
   * caller keeps none in clear either (its event goes without them).
   */
  async sealOwnershipReason(conversationId: string, reason: string | null, tx?: Sql): Promise<string | null> {
    if (reason === null) return null;
    try {
      return (await this.vault.writer(conversationId, tx)).encrypt(REASON_FIELD, reason);
    } catch (err) {
      if (isErasedMeanwhile(err)) return null;
      throw err;
    }
  }

  /**
   * The ownership changes with their reason opened: one key query for the batch, only for the
   * rows holding one. An erased conversation's (its key shredded) reads as null.
   */
  async openOwnershipChanges<T extends { conversationId: string; reason: string | null }>(
    rows: T[],
    tx?: Sql,
  ): Promise<T[]> {
    const reasoned = rows.filter((r) => r.reason !== null);
    if (!reasoned.length) return rows;
    const reader = await this.vault.reader(
      reasoned.map((r) => r.conversationId),
      tx,
    );
    for (const row of reasoned) row.reason = reader.open(row.conversationId, REASON_FIELD, row.reason);
    return rows;
  }

  /**
   * The rows with their context opened. A conversation whose key is gone (its client erased:
   * a row read from a copy taken before the erasure's marker) reads as erased.
   */
  async openConversations<T extends { id: string; context: Record<string, unknown> }>(
    rows: T[],
    tx?: Sql,
  ): Promise<T[]> {
    const sealed = rows.filter((r) => typeof r.context[SEALED_KEY] === 'string');
    if (!sealed.length) return rows;
    const reader = await this.vault.reader(
      sealed.map((r) => r.id),
      tx,
    );
    for (const row of sealed) row.context = openContext(reader, row.id, row.context);
    return rows;
  }

  /** The rows with their words opened; a message whose key is gone has none (as after an erasure). */
  async openMessages<
    T extends MessageRef & { text: string | null; sttTranscript: string | null; metadata: unknown },
  >(rows: T[], tx?: Sql): Promise<T[]> {
    // only the keys of rows holding words (an erased message has none; a shredded key is looked
    // up on every read)
    const worded = rows.filter((r) => r.text !== null || r.sttTranscript !== null || r.metadata !== null);
    if (!worded.length) return rows;
    const reader = await this.vault.reader(worded.map(messageSubject), tx);
    for (const row of rows) {
      const subject = messageSubject(row);
      row.text = reader.open(subject, TEXT_FIELD, row.text);
      row.sttTranscript = reader.open(subject, STT_FIELD, row.sttTranscript);
      const metadata = reader.open(subject, METADATA_FIELD, row.metadata);
      row.metadata = metadata === null ? null : (JSON.parse(metadata) as Record<string, unknown>);
    }
    return rows;
  }
}

function openContext(
  reader: FieldReader,
  id: string,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const clear: Record<string, unknown> = {};
  for (const key of CLEAR_CONTEXT_KEYS) if (key in stored) clear[key] = stored[key];
  const revealed = reader.decrypt(id, CONTEXT_FIELD, stored[SEALED_KEY] as string);
  // the erasure's date is not known here, only that the key is gone
  if (revealed.erased) return { [ERASED_AT_KEY]: '' };
  return { ...clear, ...(JSON.parse(revealed.value) as Record<string, unknown>) };
}

/** Whether writing failed because the conversation's (or claim's) key was shredded meanwhile. */
export const isErasedMeanwhile = (err: unknown): boolean => err instanceof SubjectErasedError;
