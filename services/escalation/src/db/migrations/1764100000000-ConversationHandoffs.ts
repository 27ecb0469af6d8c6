import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 12: the bot's transfers (HandoffRequested: the client asked for a person, was not
 * understood, or failed authentication) are entries of the queue about their conversation.
 * An entry is now about a claim, a partner case, or a conversation; never a claim and a case.
 *
 * - conversation_id: the bot conversation (conversation service); one open entry per
 *   conversation, as per claim and per case.
 */
export class ConversationHandoffs1764100000000 implements MigrationInterface {
  name = 'ConversationHandoffs1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE escalades
        ADD COLUMN conversation_id UUID,
        DROP CONSTRAINT chk_escalades_objet,
        ADD CONSTRAINT chk_escalades_objet CHECK (
          num_nonnulls(sinistre_id, dossier_id, conversation_id) >= 1
          AND num_nonnulls(sinistre_id, dossier_id) <= 1)`);
    await q.query(
      `CREATE UNIQUE INDEX uq_escalades_conversation_ouverte ON escalades(conversation_id) WHERE statut <> 'resolue'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_escalades_conversation_ouverte`);
    await q.query(`DELETE FROM escalades WHERE sinistre_id IS NULL AND dossier_id IS NULL`);
    await q.query(`
      ALTER TABLE escalades
        DROP CONSTRAINT chk_escalades_objet,
        DROP COLUMN conversation_id,
        ADD CONSTRAINT chk_escalades_objet CHECK ((sinistre_id IS NULL) <> (dossier_id IS NULL))`);
  }
}
