import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The clients erased (ClientErased, the erasure consumer), by id and when: no claim is opened
 * for one of them afterwards (CLAIM.CLIENT_ERASED), whoever asks (an advisor's console still
 * showing him, a late declaration of the bot). The claim's own mark (client_efface_le) says only
 * that an existing claim was erased; a client without claims left none. Clients erased before
 * this migration are known from their claims' marks.
 */
export class ErasedClients1767600000000 implements MigrationInterface {
  name = 'ErasedClients1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clients_effaces (
        client_id UUID PRIMARY KEY,
        efface_le TIMESTAMP NOT NULL
      )`);
    await q.query(`
      INSERT INTO clients_effaces (client_id, efface_le)
      SELECT client_id, min(client_efface_le) FROM sinistres
       WHERE client_efface_le IS NOT NULL GROUP BY client_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clients_effaces`);
  }
}
