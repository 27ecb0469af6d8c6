import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The seed's historique_conversation (every column, its index idx_conversation_sinistre) and
 * the conversations that hold the bot's persistent context (the seed's "Contexte Persistant").
 * sinistre_id and client_id belong to other services: indexed UUIDs, no foreign key.
 * Timestamps are the seed's TIMESTAMP (no time zone); the service writes them in UTC.
 * phase is the seed's ConversationPhase; whether the bot is done is `status` (a conversation
 * ends in 'decision', 'transfert' or 'suivi', so no extra phase is needed).
 */
export class CreateConversations1763900000000 implements MigrationInterface {
  name = 'CreateConversations1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversations (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        sinistre_id UUID,
        client_id UUID,
        phase VARCHAR(30) NOT NULL DEFAULT 'auth'
          CONSTRAINT chk_conversations_phase CHECK (phase IN (
            'auth', 'description', 'sinistre_details', 'constat', 'documents',
            'decision', 'transfert', 'suivi')),
        status VARCHAR(20) NOT NULL DEFAULT 'active'
          CONSTRAINT chk_conversations_status CHECK (status IN ('active', 'awaiting_lookup', 'completed', 'transferred')),
        channel VARCHAR(10) NOT NULL DEFAULT 'CHAT'
          CONSTRAINT chk_conversations_channel CHECK (channel IN ('CHAT', 'VOICE', 'WEB')),
        -- the id the claims service will give the claim declared here (IntakeCompleted.claimId);
        -- sinistre_id takes it once ClaimOpened says the claim exists
        reserved_claim_id UUID,
        context JSONB NOT NULL DEFAULT '{}'::jsonb,
        date_creation TIMESTAMP NOT NULL DEFAULT NOW(),
        date_modification TIMESTAMP NOT NULL DEFAULT NOW(),
        version INT NOT NULL DEFAULT 1 CONSTRAINT chk_conversations_version CHECK (version >= 1)
      )`);
    await q.query(`CREATE INDEX idx_conversations_sinistre ON conversations(sinistre_id)`);
    await q.query(`CREATE INDEX idx_conversations_client ON conversations(client_id)`);
    await q.query(`CREATE UNIQUE INDEX idx_conversations_reserved_claim ON conversations(reserved_claim_id)`);

    // role and timestamp are NOT NULL (the seed leaves them nullable): the graph promises
    // both on every message. seq orders the messages written within one instant (a turn
    // writes the user's and the bot's message together).
    await q.query(`
      CREATE TABLE historique_conversation (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        sinistre_id UUID,
        conversation_id UUID REFERENCES conversations(id) ON DELETE CASCADE,
        role VARCHAR(20) NOT NULL
          CONSTRAINT chk_historique_conversation_role CHECK (role IN ('bot', 'user', 'system')),
        texte TEXT,
        texte_stt VARCHAR(500),
        confiance_stt DECIMAL(3,2)
          CONSTRAINT chk_historique_conversation_confiance CHECK (confiance_stt BETWEEN 0 AND 1),
        audio_url VARCHAR(255),
        timestamp TIMESTAMP NOT NULL DEFAULT NOW(),
        metadata JSONB,
        seq BIGINT GENERATED ALWAYS AS IDENTITY
      )`);
    await q.query(`CREATE INDEX idx_conversation_sinistre ON historique_conversation(sinistre_id)`);
    await q.query(
      `CREATE INDEX idx_historique_conversation_conversation ON historique_conversation(conversation_id, timestamp, seq)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE historique_conversation`);
    await q.query(`DROP TABLE conversations`);
  }
}
