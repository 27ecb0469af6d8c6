import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The bot's authentication (docs/security.md, The bot's authentication: PIN and brute force).
 * - directory_pins: the argon2id hash of a client's personal code, from identity's
 *   ClientPinChanged (null once removed; the row keeps last_event_at so a late event cannot
 *   bring a removed code back). A table of its own: a code may arrive before its client.
 * - auth_matricule_failures: failed authentications per matricule (its key: upper-case letters
 *   and digits, so every spelling counts together), shared by every replica; the lock and how
 *   many locks in a row (the lock doubles each time). Rows are forgotten once nothing in them
 *   counts any more.
 * - auth_address_keys, auth_address_failures: failures per client address and UTC day. The
 *   address is never stored: only HMAC-SHA256(key of the day, address), the key random per day
 *   and deleted with that day's counts, after which nobody can tell which address a row was.
 * - auth_alerts: each lock, for advisors (Query.authenticationAlerts): the matricule's end only,
 *   the client and the conversation, when; kept 7 days.
 */
export class CreateBotAuthentication1763900002000 implements MigrationInterface {
  name = 'CreateBotAuthentication1763900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_pins (
        client_id UUID PRIMARY KEY,
        pin_hash VARCHAR(255)
          CONSTRAINT chk_directory_pins_argon2id CHECK (pin_hash LIKE '$argon2id$%'),
        last_event_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`
      CREATE TABLE auth_matricule_failures (
        matricule_key VARCHAR(20) PRIMARY KEY,
        failures INT NOT NULL DEFAULT 0 CONSTRAINT chk_auth_matricule_failures CHECK (failures >= 0),
        last_failure_at TIMESTAMPTZ,
        lockouts INT NOT NULL DEFAULT 0 CONSTRAINT chk_auth_matricule_lockouts CHECK (lockouts >= 0),
        locked_until TIMESTAMPTZ
      )`);
    await q.query(`
      CREATE TABLE auth_address_keys (
        day DATE PRIMARY KEY,
        secret BYTEA NOT NULL CONSTRAINT chk_auth_address_keys_secret CHECK (length(secret) = 32)
      )`);
    await q.query(`
      CREATE TABLE auth_address_failures (
        day DATE NOT NULL,
        address_hash CHAR(64) NOT NULL,
        failures INT NOT NULL DEFAULT 0 CONSTRAINT chk_auth_address_failures CHECK (failures >= 0),
        PRIMARY KEY (day, address_hash)
      )`);
    await q.query(`
      CREATE TABLE auth_alerts (
        id UUID PRIMARY KEY,
        client_id UUID,
        conversation_id UUID,
        matricule_hint VARCHAR(12) NOT NULL,
        lockout INT NOT NULL CONSTRAINT chk_auth_alerts_lockout CHECK (lockout >= 1),
        failures INT NOT NULL CONSTRAINT chk_auth_alerts_failures CHECK (failures >= 1),
        locked_at TIMESTAMPTZ NOT NULL,
        locked_until TIMESTAMPTZ NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_auth_alerts_locked_at ON auth_alerts(locked_at DESC, id)`);
    await q.query(`CREATE INDEX idx_auth_alerts_client ON auth_alerts(client_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth_alerts`);
    await q.query(`DROP TABLE auth_address_failures`);
    await q.query(`DROP TABLE auth_address_keys`);
    await q.query(`DROP TABLE auth_matricule_failures`);
    await q.query(`DROP TABLE directory_pins`);
  }
}
