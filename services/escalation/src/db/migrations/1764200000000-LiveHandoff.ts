import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 15 (live handoff): the queue hears the conversation.
 *
 * - rappel_propose_telephone / rappel_propose_avant / rappel_propose_le: nobody took the
 *   client's transfer in time and the conversation offered a call-back (CallBackOffered): the
 *   number to call (E.164, absent when the client's record has none), the deadline the client
 *   was given, and when it was offered. The entry stays in the queue. Not rappel_avant: that
 *   is a partner call request's deadline, read with its details.
 * - sinistres_conversations: the bot conversation a claim was declared in (HandoffRequested
 *   with reason ESCALATED), kept so that the claim's entry refers to it whichever of the
 *   transfer and the claim's ClaimEscalationRequested arrives first. One row per claim, the
 *   latest transfer's conversation.
 * - idx_affectations_debut: the wait estimate reads the first assignments of the last hour.
 */
export class LiveHandoff1764200000000 implements MigrationInterface {
  name = 'LiveHandoff1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE escalades
        ADD COLUMN rappel_propose_telephone VARCHAR(20),
        ADD COLUMN rappel_propose_avant TIMESTAMP,
        ADD COLUMN rappel_propose_le TIMESTAMP,
        ADD CONSTRAINT chk_escalades_rappel_propose CHECK (
          (rappel_propose_le IS NULL) = (rappel_propose_avant IS NULL)
          AND (rappel_propose_telephone IS NULL OR rappel_propose_le IS NOT NULL))`);
    await q.query(`
      CREATE TABLE sinistres_conversations (
        sinistre_id UUID PRIMARY KEY,
        conversation_id UUID NOT NULL,
        date_transfert TIMESTAMP NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_affectations_debut ON affectations(date_debut)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_affectations_debut`);
    await q.query(`DROP TABLE sinistres_conversations`);
    await q.query(`
      ALTER TABLE escalades
        DROP CONSTRAINT chk_escalades_rappel_propose,
        DROP COLUMN rappel_propose_le,
        DROP COLUMN rappel_propose_avant,
        DROP COLUMN rappel_propose_telephone`);
  }
}
