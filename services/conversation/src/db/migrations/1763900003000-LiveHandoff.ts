import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The live handoff (issue 15). Who answers the client (proprietaire: bot, attente_conseiller,
 * conseiller, cloture) with the holder, the queue entry and when the wait started; every change
 * of owner kept in conversation_proprietaires; one sequence per conversation shared by its
 * messages and its ownership changes (dernier_seq is the last number given, bumped under the
 * conversation's row lock), so a live subscriber resumes after the last number it saw. The
 * ADVISOR role and its author on historique_conversation; the client's phone in the directory
 * (the call-back offered when nobody takes the transfer in time).
 */
export class LiveHandoff1763900003000 implements MigrationInterface {
  name = 'LiveHandoff1763900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE conversations
        ADD COLUMN proprietaire VARCHAR(20) NOT NULL DEFAULT 'bot'
          CONSTRAINT chk_conversations_proprietaire
          CHECK (proprietaire IN ('bot', 'attente_conseiller', 'conseiller', 'cloture')),
        ADD COLUMN conseiller_id UUID,
        ADD COLUMN conseiller_nom VARCHAR(100),
        ADD COLUMN escalade_id UUID,
        ADD COLUMN attente_depuis TIMESTAMP,
        ADD COLUMN rappel_propose_le TIMESTAMP,
        ADD COLUMN dernier_seq INT NOT NULL DEFAULT 0 CONSTRAINT chk_conversations_dernier_seq CHECK (dernier_seq >= 0)`);
    await q.query(
      `CREATE INDEX idx_conversations_attente ON conversations(attente_depuis) WHERE proprietaire = 'attente_conseiller'`,
    );
    await q.query(`CREATE INDEX idx_conversations_escalade ON conversations(escalade_id)`);

    await q.query(`ALTER TABLE historique_conversation DROP CONSTRAINT chk_historique_conversation_role`);
    await q.query(`
      ALTER TABLE historique_conversation
        ADD CONSTRAINT chk_historique_conversation_role CHECK (role IN ('bot', 'user', 'system', 'advisor')),
        ADD COLUMN conseiller_id UUID,
        ADD COLUMN sequence INT`);
    // the messages written before: numbered in their order
    await q.query(`
      UPDATE historique_conversation h SET sequence = n.rn
      FROM (SELECT id, row_number() OVER (PARTITION BY conversation_id ORDER BY timestamp, seq) AS rn
            FROM historique_conversation WHERE conversation_id IS NOT NULL) n
      WHERE h.id = n.id`);
    await q.query(`
      UPDATE conversations c SET dernier_seq = m.n
      FROM (SELECT conversation_id, count(*)::int AS n FROM historique_conversation
            WHERE conversation_id IS NOT NULL GROUP BY conversation_id) m
      WHERE c.id = m.conversation_id`);
    await q.query(
      `CREATE UNIQUE INDEX idx_historique_conversation_sequence ON historique_conversation(conversation_id, sequence)`,
    );

    await q.query(`
      CREATE TABLE conversation_proprietaires (
        id UUID PRIMARY KEY,
        conversation_id UUID NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        sequence INT NOT NULL,
        de VARCHAR(20) NOT NULL,
        vers VARCHAR(20) NOT NULL,
        cause VARCHAR(30) NOT NULL,
        raison VARCHAR(500),
        conseiller_id UUID,
        conseiller_nom VARCHAR(100),
        escalade_id UUID,
        date TIMESTAMP NOT NULL,
        CONSTRAINT uq_conversation_proprietaires_sequence UNIQUE (conversation_id, sequence)
      )`);

    await q.query(`ALTER TABLE directory_clients ADD COLUMN phone VARCHAR(20)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_clients DROP COLUMN phone`);
    await q.query(`DROP TABLE conversation_proprietaires`);
    await q.query(`DROP INDEX idx_historique_conversation_sequence`);
    await q.query(`DELETE FROM historique_conversation WHERE role = 'advisor'`);
    await q.query(`ALTER TABLE historique_conversation DROP CONSTRAINT chk_historique_conversation_role`);
    await q.query(`
      ALTER TABLE historique_conversation
        ADD CONSTRAINT chk_historique_conversation_role CHECK (role IN ('bot', 'user', 'system')),
        DROP COLUMN conseiller_id,
        DROP COLUMN sequence`);
    await q.query(`DROP INDEX idx_conversations_escalade`);
    await q.query(`DROP INDEX idx_conversations_attente`);
    await q.query(`
      ALTER TABLE conversations
        DROP COLUMN proprietaire, DROP COLUMN conseiller_id, DROP COLUMN conseiller_nom,
        DROP COLUMN escalade_id, DROP COLUMN attente_depuis, DROP COLUMN rappel_propose_le,
        DROP COLUMN dernier_seq`);
  }
}
