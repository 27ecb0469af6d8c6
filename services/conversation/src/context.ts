// The per-request context: the base (principal, correlation id, logger) plus request-scoped
// loaders, so that references and list fields of many parents cost one query each.
import type { PersonalDataVault } from '@crm/privacy';
import type DataLoader from 'dataloader';
import {
  loaderById,
  loaderByParent,
  type BaseContext,
  type PeriodicTask,
  type ServiceParts,
  type ServiceRuntime,
  isUuid,
} from '@crm/subgraph';
import type { AuthenticationGuard } from './authentication/authentication.service';
import type { BotService } from './bot/bot.service';
import type { ConversationService } from './conversation/conversation.service';
import type { WrittenOwnershipChange } from './handoff/handoff.events';
import { HandoffRepository, toOwnershipChange } from './handoff/handoff.repository';
import type { HandoffService } from './handoff/handoff.service';
import type { ConversationFeed } from './live/conversation-feed';
import type { Voice } from './voice/voice.setup';
import {
  toConversationView,
  toMessageView,
  type ConversationView,
  type MessageView,
} from './conversation/conversation.mapping';
import {
  ConversationRepository,
  MAX_CLIENT_CONVERSATIONS,
  MAX_MESSAGES,
} from './conversation/conversation.repository';

/** Keys from representations are the caller's: a malformed one matches nothing (no SQL error). */
const uuids = (ids: readonly string[]): string[] => ids.filter((id) => isUuid(id));

export type MessageScope = 'claim' | 'conversation';

export interface Loaders {
  conversationById: DataLoader<string, ConversationView | null>;
  conversationsByClaim: DataLoader<string, ConversationView[]>;
  conversationsByClient: DataLoader<string, ConversationView[]>;
  /** Conversation.ownership: the latest change of owner, null while the bot has always held it */
  latestOwnership: DataLoader<string, WrittenOwnershipChange | null>;
  /** one loader per (scope, last), created on first use */
  messages(scope: MessageScope, last: number | undefined): DataLoader<string, MessageView[]>;
}

/** One running instance's parts (setup), shared by its requests. */
export interface ConversationParts extends ServiceParts {
  conversations: ConversationService;
  /** the directory's clients: per-client data keys, the matricule's blind index, shredding */
  vault: PersonalDataVault;
  /** the bot's authentication: lookups, personal codes, failure counts, alerts */
  guard: AuthenticationGuard;
  bot: BotService;
  /** who answers the client: the bot's transfers, the queue's moves, the advisor's hand */
  handoff: HandoffService;
  /** Subscription.conversationEvents */
  feed: ConversationFeed;
  /** offers a call-back to clients nobody took in time */
  callBacks: PeriodicTask;
  /** deletes the counters, keys and alerts that no longer count */
  authPurge: PeriodicTask;
  /** deletes audio past AUDIO_RETENTION_DAYS (postgres store) */
  audioPurge: PeriodicTask;
  /** the bot's voice: speech out (and in), the audio store */
  voice: Voice;
}

export interface ConversationContext extends BaseContext {
  loaders: Loaders;
}

export function createLoaders(
  runtime: ServiceRuntime,
  vault: PersonalDataVault,
  repo = new ConversationRepository(runtime.dataSource.manager, vault),
): Loaders {
  const messageLoaders = new Map<string, DataLoader<string, MessageView[]>>();
  const handoff = new HandoffRepository(runtime.dataSource.manager, vault);
  return {
    latestOwnership: loaderById(
      async (ids) => (await handoff.latestChanges(uuids(ids))).map((c) => toOwnershipChange(c)),
      (c) => c.conversationId,
    ),
    conversationById: loaderById(
      async (ids) => (await repo.conversationsByIds(uuids(ids))).map(toConversationView),
      (c) => c.id,
    ),
    // Claim.conversation reads the newest only
    conversationsByClaim: loaderByParent(
      async (ids) => (await repo.conversationsOf('sinistre_id', uuids(ids), 1)).map(toConversationView),
      (c) => c.claimId ?? '',
    ),
    conversationsByClient: loaderByParent(
      async (ids) =>
        (await repo.conversationsOf('client_id', uuids(ids), MAX_CLIENT_CONVERSATIONS)).map(
          toConversationView,
        ),
      (c) => c.clientId ?? '',
    ),
    messages(scope, requested) {
      // without `last`, the newest MAX_MESSAGES, as `last: 500` would
      const last = requested ?? MAX_MESSAGES;
      const key = `${scope}:${last}`;
      let loader = messageLoaders.get(key);
      if (!loader) {
        const column = scope === 'claim' ? 'sinistre_id' : 'conversation_id';
        loader = loaderByParent(
          async (ids) => (await repo.messagesOf(column, uuids(ids), last)).map(toMessageView),
          (m) => (scope === 'claim' ? m.claimId : m.conversationId) ?? '',
        );
        messageLoaders.set(key, loader);
      }
      return loader;
    },
  };
}

export const createContext = (
  base: BaseContext,
  { runtime, vault }: ConversationParts,
): ConversationContext => ({
  ...base,
  loaders: createLoaders(runtime, vault),
});
