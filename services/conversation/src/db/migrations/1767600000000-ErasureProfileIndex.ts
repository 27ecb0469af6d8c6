import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A client's erasure also finds the conversations in which the bot read him back and awaits his
 * confirmation (client_id still NULL, his id in the context's profile: ConversationRepository's
 * eraseClient). Without an index that half of its WHERE read every conversation of the table,
 * under the erasure's transaction; this partial expression index makes it a lookup, the other
 * half using idx_conversations_client.
 */
export class ErasureProfileIndex1767600000000 implements MigrationInterface {
  name = 'ErasureProfileIndex1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX idx_conversations_profile_client
          ON conversations ((context -> 'dialogue' -> 'profile' ->> 'clientId'))
       WHERE client_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_conversations_profile_client`);
  }
}
