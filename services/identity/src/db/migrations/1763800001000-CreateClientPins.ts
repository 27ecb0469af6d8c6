import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * client_pins: the personal code a client may set for the bot (setClientPin), as its argon2id
 * hash in PHC form; no row = no code. A table of its own, not a column of clients: the hash is
 * never loaded with the client record, and erasure deletes the row.
 */
export class CreateClientPins1763800001000 implements MigrationInterface {
  name = 'CreateClientPins1763800001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE client_pins (
        client_id UUID PRIMARY KEY REFERENCES clients(id),
        pin_hash VARCHAR(255) NOT NULL
          CONSTRAINT client_pins_argon2id_check CHECK (pin_hash LIKE '$argon2id$%'),
        date_modification TIMESTAMP NOT NULL DEFAULT NOW()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE client_pins`);
  }
}
