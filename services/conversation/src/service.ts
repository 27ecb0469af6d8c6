// The conversation subgraph: bot conversations, the claims' conversation history, and the
// directory projection the bot authenticates against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devServicePrivacy, servicePrivacyOf, type ServicePrivacy } from '@crm/privacy';
import {
  gql,
  PeriodicTask,
  scalarResolvers,
  systemCaller,
  vaultOf,
  type ServiceDefinition,
} from '@crm/subgraph';
import { authenticationResolvers } from './authentication/authentication.resolvers';
import { GUARD_POLICY, type GuardPolicy } from './authentication/authentication.rules';
import { AuthenticationGuard } from './authentication/authentication.service';
import { botResolvers } from './bot/bot.resolvers';
import { BotService } from './bot/bot.service';
import { subscribeClaimLinks } from './conversation/claim-link.consumer';
import { createContext, type ConversationContext, type ConversationParts } from './context';
import { ConversationEntity } from './conversation/conversation.entity';
import { conversationResolvers } from './conversation/conversation.resolvers';
import { ConversationService } from './conversation/conversation.service';
import { MessageEntity } from './conversation/message.entity';
import { CreateConversations1763900000000 } from './db/migrations/1763900000000-CreateConversations';
import { CreateDirectoryProjection1763900001000 } from './db/migrations/1763900001000-CreateDirectoryProjection';
import { CreateBotAuthentication1763900002000 } from './db/migrations/1763900002000-CreateBotAuthentication';
import { subscribeDirectory } from './directory/directory.consumer';
import { subscribeEscalations } from './handoff/escalation.consumer';
import { handoffResolvers } from './handoff/handoff.resolvers';
import { DEFAULT_HANDOFF_SETTINGS, HandoffService, type HandoffSettings } from './handoff/handoff.service';
import { OwnershipChangeEntity } from './handoff/ownership.entity';
import { LiveHandoff1763900003000 } from './db/migrations/1763900003000-LiveHandoff';
import { AudioStore1763900004000 } from './db/migrations/1763900004000-AudioStore';
import { AuditLog1767000000000 } from './db/migrations/1767000000000-AuditLog';
import { ErasedClaims1767200000000 } from './db/migrations/1767200000000-ErasedClaims';
import { PrivacyKeys1767500000000 } from './db/migrations/1767500000000-PrivacyKeys';
import { encryptDirectoryMigration } from './db/migrations/1767500001000-EncryptDirectory';
import { ErasureProfileIndex1767600000000 } from './db/migrations/1767600000000-ErasureProfileIndex';
import { DirectoryArchivedClaims1768000001000 } from './db/migrations/1768000001000-DirectoryArchivedClaims';
import { encryptConversationsMigration } from './db/migrations/1767700000000-EncryptConversations';
import { encryptAudioClipsMigration } from './db/migrations/1767900001000-EncryptAudioClips';
import { encryptOwnershipReasonsMigration } from './db/migrations/1767900002000-EncryptOwnershipReasons';
import { audioRoute } from './voice/audio-route';
import { ConversationFeed } from './live/conversation-feed';
import {
  DirectoryClaimEntity,
  DirectoryClientEntity,
  DirectoryContractEntity,
  DirectoryErasureEntity,
} from './directory/directory.entity';
import type { Env } from './env';
import { policies } from './policies';
import { createVoice, DEFAULT_VOICE, type VoiceConfig } from './voice/voice.setup';

/** The SDL file is also what the supergraph is composed from (tools/supergraph); the build copies it to dist/. */
export const typeDefs = gql(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

/** How often the bot's authentication counters are purged of what no longer counts. */
export const AUTH_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** How often waiting clients are checked for a call-back offer. */
export const CALL_BACK_SWEEP_MS = 15_000;

/** The handoff's timings with what the environment sets. */
export const handoffSettingsOf = (
  env: Pick<Env, 'HANDOFF_CALL_BACK_AFTER_SECONDS' | 'HANDOFF_CALL_BACK_WITHIN_MINUTES'>,
): HandoffSettings => ({
  callBackAfterMs: env.HANDOFF_CALL_BACK_AFTER_SECONDS * 1000,
  callBackWithinMs: env.HANDOFF_CALL_BACK_WITHIN_MINUTES * 60_000,
});

/** The bot's brute-force policy with what the environment sets. */
export const guardPolicyOf = (env: Pick<Env, 'BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY'>): GuardPolicy => ({
  ...GUARD_POLICY,
  addressDailyCeiling: env.BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY,
});

export const conversationService = (
  guardPolicy: GuardPolicy = GUARD_POLICY,
  handoffSettings: HandoffSettings = DEFAULT_HANDOFF_SETTINGS,
  callBackSweepMs: number = CALL_BACK_SWEEP_MS,
  voiceConfig: VoiceConfig = DEFAULT_VOICE,
  privacy: ServicePrivacy = devServicePrivacy(),
): ServiceDefinition<ConversationParts, ConversationContext> => ({
  name: 'conversation',
  privacy,
  policies,
  typeDefs,
  entities: [
    ConversationEntity,
    MessageEntity,
    OwnershipChangeEntity,
    DirectoryClientEntity,
    DirectoryContractEntity,
    DirectoryClaimEntity,
    DirectoryErasureEntity,
  ],
  migrations: [
    CreateConversations1763900000000,
    CreateDirectoryProjection1763900001000,
    CreateBotAuthentication1763900002000,
    LiveHandoff1763900003000,
    AudioStore1763900004000,
    AuditLog1767000000000,
    ErasedClaims1767200000000,
    PrivacyKeys1767500000000,
    encryptDirectoryMigration(privacy.wrapper),
    ErasureProfileIndex1767600000000,
    encryptConversationsMigration(privacy.wrapper),
    encryptAudioClipsMigration(privacy.wrapper),
    encryptOwnershipReasonsMigration(privacy.wrapper),
    DirectoryArchivedClaims1768000001000,
  ],
  setup: (runtime) => {
    // the directory's copy of the clients: encrypted under each client's key (docs/privacy.md)
    const vault = vaultOf(runtime);
    const guard = new AuthenticationGuard(runtime, vault, guardPolicy);
    const handoff = new HandoffService(runtime, vault, handoffSettings);
    const voice = createVoice(voiceConfig, runtime, vault);
    return {
      voice,
      runtime,
      vault,
      conversations: new ConversationService(runtime, vault),
      guard,
      handoff,
      feed: new ConversationFeed(runtime, vault),
      bot: new BotService(runtime, vault, guard, handoff, {}, voice.service),
      callBacks: new PeriodicTask(
        'handoff call-back offers',
        callBackSweepMs,
        async () => {
          const offered = await handoff.offerCallBacks(systemCaller('conversation.call-backs'));
          if (offered) runtime.logger.info({ offered }, 'call-backs offered to clients nobody took in time');
        },
        runtime.logger,
      ),
      audioPurge: new PeriodicTask(
        'audio retention',
        AUTH_PURGE_INTERVAL_MS,
        async () => {
          const deleted = await voice.purge(runtime.clock());
          if (deleted) runtime.logger.info({ deleted }, 'audio past its retention deleted');
        },
        runtime.logger,
      ),
      authPurge: new PeriodicTask(
        'bot authentication purge',
        AUTH_PURGE_INTERVAL_MS,
        () => guard.purge(runtime.clock()),
        runtime.logger,
      ),
    };
  },
  resolvers: (parts) => {
    const history = conversationResolvers(parts.conversations);
    const bot = botResolvers(parts.bot);
    const authentication = authenticationResolvers(parts.guard, parts.runtime.clock);
    const live = handoffResolvers(parts.handoff, parts.feed);
    return {
      ...scalarResolvers,
      ...history,
      Query: { ...history.Query, ...authentication.Query },
      Mutation: { ...history.Mutation, ...bot.Mutation, ...live.Mutation },
      Subscription: live.Subscription,
      Conversation: { ...history.Conversation, ...live.Conversation },
      ConversationMessage: live.ConversationMessage,
      ConversationEvent: live.ConversationEvent,
      OwnershipChange: live.OwnershipChange,
      ConversationTurn: bot.ConversationTurn,
      AuthenticationAlert: authentication.AuthenticationAlert,
    };
  },
  context: createContext,
  routes: (parts) => [audioRoute(parts.voice.store)],
  consumers: async (parts) => {
    await subscribeDirectory(parts.runtime, parts.vault, parts.voice.store);
    await subscribeClaimLinks(parts.runtime, parts.vault);
    await subscribeEscalations(parts.runtime, parts.handoff);
    await parts.feed.start();
    // the offline voice loads its data now, not on the first client's sentence
    parts.voice.warmUp();
    parts.callBacks.start();
    // once now, then hourly: yesterday's address keys go soon after midnight (UTC)
    parts.authPurge.start();
    parts.audioPurge.start();
  },
  stop: async (parts) => {
    await parts.authPurge.stop();
    await parts.audioPurge.stop();
    await parts.callBacks.stop();
    // the audio still being made is written to its message before the database closes
    await parts.voice.close();
  },
});

export const definition = conversationService();

/** The service as its environment configures it (main.ts, npm start). */
export const definitionFromEnv = (env: Env) =>
  conversationService(
    guardPolicyOf(env),
    handoffSettingsOf(env),
    CALL_BACK_SWEEP_MS,
    env,
    servicePrivacyOf(env),
  );
