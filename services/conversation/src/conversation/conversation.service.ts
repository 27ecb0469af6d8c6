// Use cases of the conversation history (issue 4). Each state change and its event commit in
// one transaction.
import { randomUUID } from 'node:crypto';
import { audited, type AuditNotes, type Caller, type ServiceRuntime } from '@crm/subgraph';
import { messageRecorded } from './conversation.events';
import {
  toConversationView,
  toMessageView,
  type ConversationView,
  type MessageView,
} from './conversation.mapping';
import { messageSubject } from './conversation.cipher';
import { ConversationRepository, MAX_CLAIM_HISTORY } from './conversation.repository';
import { claimMessage, type AddClaimMessage } from './message.rules';
import type { PersonalDataVault } from '@crm/privacy';
import { DirectoryRepository } from '../directory/directory.repository';
import { conversationError, notFound } from '../errors';

export class ConversationService {
  private readonly repo: ConversationRepository;

  private readonly directory: DirectoryRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
    vault: PersonalDataVault,
  ) {
    this.repo = new ConversationRepository(runtime.dataSource.manager, vault);
    this.directory = new DirectoryRepository(runtime.dataSource.manager, vault);
  }

  async conversation(id: string): Promise<ConversationView> {
    const [row] = await this.repo.conversationsByIds([id]);
    if (!row) throw notFound('conversation', id);
    return toConversationView(row);
  }

  /** The seed's GET /sinistres/:id/historique: the claim's newest 500 messages, oldest first. */
  async claimHistory(claimId: string): Promise<MessageView[]> {
    const rows = await this.repo.messagesOf('sinistre_id', [claimId], MAX_CLAIM_HISTORY);
    return rows.map(toMessageView);
  }

  /**
   * The seed's POST /sinistres/:id/conversation. `audit`: the request's notes get the message's
   * words and its role, sealed under its key (the claim's: it is in no conversation), noted
   * under the message's id (the record's entity: the answer's id).
   */
  async addClaimMessage(cmd: AddClaimMessage, caller: Caller, audit?: AuditNotes): Promise<MessageView> {
    const message = claimMessage(randomUUID(), cmd, this.runtime.clock());
    await audited(audit, this.runtime.dataSource, async (tx) => {
      if (await this.directory.claimErased(tx, cmd.claimId))
        throw conversationError(
          'CONVERSATION.CLAIM_ERASED',
          "this claim's client was erased: nothing more is written about him on it",
          { claimId: cmd.claimId },
        );
      await this.repo.insertMessages(tx, [message]);
      await this.runtime.events.outbox.publish(tx, messageRecorded(message, caller));
      return {
        result: message,
        entityId: message.id,
        seal: () => this.repo.cipher.auditChanges(messageSubject(message), { said: message }, tx),
      };
    });
    const row = await this.repo.messageById(message.id);
    if (!row) throw new Error(`message ${message.id} vanished after commit`);
    return toMessageView(row);
  }
}
