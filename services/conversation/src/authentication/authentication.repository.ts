// Every query of the bot's brute-force counters and alerts. Reads take an optional transaction;
// what serializes attempts takes the turn's transaction and locks its row (FOR UPDATE) until
// the turn commits, so that every replica sees one count: two attempts on one matricule, or
// from one address, wait for each other instead of both passing under the limit.
import type { EntityManager } from 'typeorm';
import type { MatriculeRecord } from './authentication.rules';

export interface AlertRow {
  id: string;
  clientId: string | null;
  conversationId: string | null;
  matriculeHint: string;
  lockout: number;
  failures: number;
  lockedAt: Date;
  lockedUntil: Date;
}

/** An address's count of the day, its row locked by the turn. */
export interface AddressCount {
  day: string;
  hash: string;
  failures: number;
}

interface MatriculeRow {
  failures: number;
  last_failure_at: Date | null;
  lockouts: number;
  locked_until: Date | null;
}

const recordOf = (row: MatriculeRow): MatriculeRecord => ({
  failures: row.failures,
  lastFailureAt: row.last_failure_at,
  lockouts: row.lockouts,
  lockedUntil: row.locked_until,
});

export class AuthenticationRepository {
  constructor(private readonly manager: EntityManager) {}

  async matricule(key: string, tx?: EntityManager): Promise<MatriculeRecord | null> {
    const rows = await (tx ?? this.manager).query<MatriculeRow[]>(
      `SELECT failures, last_failure_at, lockouts, locked_until FROM auth_matricule_failures WHERE matricule_key = $1`,
      [key],
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /** The matricule's record, its row created if need be and locked until the transaction ends. */
  async lockMatricule(tx: EntityManager, key: string): Promise<MatriculeRecord> {
    await tx.query(
      `INSERT INTO auth_matricule_failures (matricule_key) VALUES ($1) ON CONFLICT (matricule_key) DO NOTHING`,
      [key],
    );
    const rows = await tx.query<MatriculeRow[]>(
      `SELECT failures, last_failure_at, lockouts, locked_until FROM auth_matricule_failures
       WHERE matricule_key = $1 FOR UPDATE`,
      [key],
    );
    return recordOf(rows[0]!);
  }

  async saveMatricule(tx: EntityManager, key: string, r: MatriculeRecord): Promise<void> {
    await tx.query(
      `UPDATE auth_matricule_failures SET failures = $2, last_failure_at = $3, lockouts = $4, locked_until = $5
       WHERE matricule_key = $1`,
      [key, r.failures, r.lastFailureAt, r.lockouts, r.lockedUntil],
    );
  }

  /** The day's key, or null when none was made yet. */
  async dayKey(day: string): Promise<Buffer | null> {
    const rows = await this.manager.query<{ secret: Buffer }[]>(
      `SELECT secret FROM auth_address_keys WHERE day = $1`,
      [day],
    );
    return rows[0]?.secret ?? null;
  }

  /**
   * The day's key, made now if need be: outside any turn's transaction (committed at once), so
   * every replica hashes the day's addresses with the one key that stays.
   */
  async makeDayKey(day: string, candidate: Buffer): Promise<Buffer> {
    await this.manager.query(
      `INSERT INTO auth_address_keys (day, secret) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING`,
      [day, candidate],
    );
    const key = await this.dayKey(day);
    if (!key) throw new Error(`auth_address_keys: no key for ${day} right after making it`);
    return key;
  }

  async addressFailures(day: string, hash: string, tx?: EntityManager): Promise<number> {
    const rows = await (tx ?? this.manager).query<{ failures: number }[]>(
      `SELECT failures FROM auth_address_failures WHERE day = $1 AND address_hash = $2`,
      [day, hash],
    );
    return rows[0]?.failures ?? 0;
  }

  async lockAddress(tx: EntityManager, day: string, hash: string): Promise<AddressCount> {
    await tx.query(
      `INSERT INTO auth_address_failures (day, address_hash) VALUES ($1, $2) ON CONFLICT (day, address_hash) DO NOTHING`,
      [day, hash],
    );
    const rows = await tx.query<{ failures: number }[]>(
      `SELECT failures FROM auth_address_failures WHERE day = $1 AND address_hash = $2 FOR UPDATE`,
      [day, hash],
    );
    return { day, hash, failures: rows[0]!.failures };
  }

  /** One more failure for the address (its row locked by lockAddress): the day's new count. */
  async addAddressFailure(tx: EntityManager, address: AddressCount): Promise<number> {
    await tx.query(
      `UPDATE auth_address_failures SET failures = failures + 1 WHERE day = $1 AND address_hash = $2`,
      [address.day, address.hash],
    );
    return address.failures + 1;
  }

  async insertAlert(tx: EntityManager, a: AlertRow): Promise<void> {
    await tx.query(
      `INSERT INTO auth_alerts
         (id, client_id, conversation_id, matricule_hint, lockout, failures, locked_at, locked_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [a.id, a.clientId, a.conversationId, a.matriculeHint, a.lockout, a.failures, a.lockedAt, a.lockedUntil],
    );
  }

  /** Alerts raised after `since`, newest first. */
  async alerts(since: Date, first: number): Promise<AlertRow[]> {
    const rows = await this.manager.query<
      {
        id: string;
        client_id: string | null;
        conversation_id: string | null;
        matricule_hint: string;
        lockout: number;
        failures: number;
        locked_at: Date;
        locked_until: Date;
      }[]
    >(
      `SELECT id, client_id, conversation_id, matricule_hint, lockout, failures, locked_at, locked_until
       FROM auth_alerts WHERE locked_at > $1 ORDER BY locked_at DESC, id LIMIT $2`,
      [since, first],
    );
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      conversationId: r.conversation_id,
      matriculeHint: r.matricule_hint,
      lockout: r.lockout,
      failures: r.failures,
      lockedAt: r.locked_at,
      lockedUntil: r.locked_until,
    }));
  }

  /** GDPR erasure: what is kept about this client's matricule and his alerts goes. */
  async forgetClient(tx: EntityManager, clientId: string, matriculeKey: string | null): Promise<void> {
    await tx.query(`DELETE FROM auth_alerts WHERE client_id = $1`, [clientId]);
    if (matriculeKey)
      await tx.query(`DELETE FROM auth_matricule_failures WHERE matricule_key = $1`, [matriculeKey]);
  }

  /** Deletes what no longer counts (authentication.rules purgeBounds). */
  async purge(bounds: {
    failuresBefore: Date;
    locksBefore: Date;
    alertsBefore: Date;
    day: string;
  }): Promise<void> {
    await this.manager.query(
      `DELETE FROM auth_matricule_failures
       WHERE (failures = 0 OR last_failure_at IS NULL OR last_failure_at <= $1)
         AND (locked_until IS NULL OR locked_until <= $2)`,
      [bounds.failuresBefore, bounds.locksBefore],
    );
    await this.manager.query(`DELETE FROM auth_alerts WHERE locked_at <= $1`, [bounds.alertsBefore]);
    await this.manager.query(`DELETE FROM auth_address_failures WHERE day < $1`, [bounds.day]);
    await this.manager.query(`DELETE FROM auth_address_keys WHERE day < $1`, [bounds.day]);
  }
}
