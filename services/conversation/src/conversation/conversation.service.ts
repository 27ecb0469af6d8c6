// Use cases of the conversation history (issue 4). Each state change and its event commit in
// one transaction.
import { randomUUID } from 'node:crypto';
import { parseInput, type Caller, type ServiceRuntime } from '@crm/subgraph';
import { z } from '@crm/config';
import { messageRecorded } from './conversation.events';
import {
  toConversationView,
  toMessageView,
  type ConversationView,
  type MessageView,
} from './conversation.mapping';
import { ConversationRepository } from './conversation.repository';
import { claimMessage, parseAddClaimMessage } from './message.rules';
import { notFound } from '../errors';

export const uuidArg = (field: string) => z.object({ [field]: z.uuid('must be a UUID') });

/** `last` of messages(last): a positive page of the newest messages. */
export const MAX_LAST = 500;
export const lastSchema = z.object({
  last: z
    .number()
    .int()
    .min(1, `must be between 1 and ${MAX_LAST}`)
    .max(MAX_LAST, `must be between 1 and ${MAX_LAST}`)
    .nullish(),
});

export class ConversationService {
  private readonly repo = new ConversationRepository();

  constructor(private readonly runtime: ServiceRuntime) {}

  async conversation(id: string): Promise<ConversationView> {
    parseInput(uuidArg('id'), { id });
    const [row] = await this.repo.conversationsByIds(this.runtime.dataSource.manager, [id]);
    if (!row) throw notFound('conversation', id);
    return toConversationView(row);
  }

  /** The seed's GET /sinistres/:id/historique: every message of the claim, oldest first. */
  async claimHistory(claimId: string): Promise<MessageView[]> {
    parseInput(uuidArg('claimId'), { claimId });
    const rows = await this.repo.messagesOf(this.runtime.dataSource.manager, 'sinistre_id', [claimId]);
    return rows.map(toMessageView);
  }

  /** The seed's POST /sinistres/:id/conversation. */
  async addClaimMessage(input: unknown, caller: Caller): Promise<MessageView> {
    const cmd = parseAddClaimMessage(input);
    const message = claimMessage(randomUUID(), cmd, this.runtime.clock());
    await this.runtime.dataSource.transaction(async (tx) => {
      await this.repo.insertMessages(tx, [message]);
      await this.runtime.events.outbox.publish(tx, messageRecorded(message, caller));
    });
    const row = await this.repo.messageById(this.runtime.dataSource.manager, message.id);
    if (!row) throw new Error(`message ${message.id} vanished after commit`);
    return toMessageView(row);
  }
}
