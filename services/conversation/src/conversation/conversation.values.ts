// The database's French values of the conversation tables (CHECK constraints of the migration).

/** conversations.phase: the seed's ConversationPhase values. */
export type PhaseValue =
  'auth' | 'description' | 'sinistre_details' | 'constat' | 'documents' | 'decision' | 'transfert' | 'suivi';

/** conversations.status: whether the bot is still talking (the engine's ConversationStatus). */
export type StatusValue = 'active' | 'awaiting_lookup' | 'completed' | 'transferred';

/** conversations.channel: how the client talks to the bot (ClaimOpened.channel). */
export type ChannelValue = 'CHAT' | 'VOICE' | 'WEB';

/** historique_conversation.role */
export type RoleValue = 'bot' | 'user' | 'system' | 'advisor';

/** conversations.proprietaire: who answers the client. */
export type OwnerValue = 'bot' | 'attente_conseiller' | 'conseiller' | 'cloture';
