// The bot's side of authentication (docs/security.md, The bot's authentication: PIN and brute
// force): it answers the engine's lookups and code checks from the directory projection, and
// counts failures in this service's database, shared by every replica.
// - per matricule (its key: every spelling counts together; stored as the key's blind index),
//   across conversations and
//   addresses: the 5th failure locks it for 15 min, doubling with each lock in a row, at most
//   24 h; while locked the bot does not try it (no lookup read back, no code checked);
// - per address (the caller's, from the gateway), per UTC day: past 20 failures the bot stops
//   trying for that address (BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY); a matricule nobody holds
//   counts too, so matricules cannot be tried one after the other until a client is read back.
//   The address is kept only as an HMAC under a key of the day.
// Counting happens in the turn's transaction, under row locks: the count, the lock, the alert
// and its event commit with the turn's messages, or not at all.
// Unknown matricules are asked for a code like a client who has one, their code is checked
// against a dummy hash (same time), and the answer is the same: nobody learns which exist.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Caller, ServiceRuntime } from '@crm/subgraph';
import type { PersonalDataVault } from '@crm/privacy';
import type { EntityManager } from 'typeorm';
import { DirectoryRepository } from '../directory/directory.repository';
import { matriculeKey } from '../directory/directory.rules';
import type { AuthenticationAnswer } from '../engine';
import { authenticationLocked } from './authentication.events';
import { AuthenticationRepository, type AddressCount, type AlertRow } from './authentication.repository';
import {
  addressKey,
  afterFailure,
  afterSuccess,
  GUARD_POLICY,
  isLocked,
  isOverCeiling,
  matriculeHint,
  purgeBounds,
  utcDay,
  type GuardPolicy,
  type MatriculeRecord,
} from './authentication.rules';
import { PinVerifier } from './pin';

/** Who tries, where, when: the turn's caller (with his address, when the gateway saw one). */
export interface Attempt {
  caller: Caller;
  conversationId: string;
  now: Date;
}

/** An alert as advisors read it. */
export interface AlertView extends AlertRow {
  /** the lock is still in force */
  active: boolean;
}

const LOCKED: AuthenticationAnswer = { client: null, locked: true };

/** A matricule's key (spelling-independent, clear, never stored) and its blind index (stored). */
interface Matricule {
  key: string;
  index: string;
}

export class AuthenticationGuard {
  private readonly repo: AuthenticationRepository;
  private readonly directory: DirectoryRepository;
  /** the days' keys this instance already read (a key never changes while its day lasts) */
  private readonly dayKeys = new Map<string, Buffer>();

  constructor(
    private readonly runtime: ServiceRuntime,
    vault: PersonalDataVault,
    readonly policy: GuardPolicy = GUARD_POLICY,
    private readonly pins = new PinVerifier(),
  ) {
    this.repo = new AuthenticationRepository(runtime.dataSource.manager);
    this.directory = new DirectoryRepository(runtime.dataSource.manager, vault);
  }

  /**
   * A matricule as the guard counts it: its key (every spelling alike; the alert's hint is cut
   * from it) and the key's blind index, the only form stored (docs/privacy.md).
   */
  private async matriculeOf(matricule: string): Promise<Matricule> {
    const key = matriculeKey(matricule);
    return { key, index: await this.directory.matriculeIndex(key) };
  }

  /**
   * The engine's directory lookup: the client when the bot may read him back (known, no code);
   * { client: null } for a client with a code and for a matricule nobody holds alike (the bot
   * asks for the code); locked when the matricule or the address is over its limit.
   */
  async lookup(tx: EntityManager, matricule: string, attempt: Attempt): Promise<AuthenticationAnswer> {
    const m = await this.matriculeOf(matricule);
    if (await this.blocked(tx, m.index, attempt)) return LOCKED;
    const access = await this.lockedAccess(tx, m.index);
    if (!access) {
      // a matricule nobody holds counts against the address: typing matricules until one is
      // read back (a client without a code) is how the file of someone else would be found
      const address = await this.lockAddress(tx, attempt);
      if (address) await this.repo.addAddressFailure(tx, address);
      return { client: null };
    }
    if (access.pinHash !== null) return { client: null };
    return { client: await this.directory.findByClientId(access.clientId, tx) };
  }

  /** The engine's code check: the client when the code is his; a failure counted otherwise. */
  async checkPin(
    tx: EntityManager,
    matricule: string,
    pin: string,
    attempt: Attempt,
  ): Promise<AuthenticationAnswer> {
    const m = await this.matriculeOf(matricule);
    // the client's lock first: his erasure takes it before the matricule's row (no cycle)
    const access = await this.lockedAccess(tx, m.index);
    const record = await this.repo.lockMatricule(tx, m.index);
    const address = await this.lockAddress(tx, attempt);
    if (isLocked(record, attempt.now) || (address && isOverCeiling(address.failures, this.policy)))
      return LOCKED;
    if (await this.pins.verify(access?.pinHash ?? null, pin)) {
      await this.repo.saveMatricule(tx, m.index, afterSuccess());
      return { client: await this.directory.findByClientId(access!.clientId, tx) };
    }
    // a matricule nobody holds already counted against the address at its lookup
    await this.fail(tx, m, record, access ? address : null, access?.clientId ?? null, attempt);
    return { client: null };
  }

  /** "Non, ce n'est pas moi" after the bot read a client back: a failure of that matricule. */
  async recordDenial(tx: EntityManager, matricule: string, attempt: Attempt): Promise<void> {
    const m = await this.matriculeOf(matricule);
    const access = await this.lockedAccess(tx, m.index);
    const record = await this.repo.lockMatricule(tx, m.index);
    const address = await this.lockAddress(tx, attempt);
    if (isLocked(record, attempt.now)) return;
    await this.fail(tx, m, record, address, access?.clientId ?? null, attempt);
  }

  /**
   * Before the turn's transaction: the day's key for the caller's address, read or made (and
   * committed) now, so the turn never needs a second connection nor keeps a key it rolled back.
   */
  async prepare(caller: Caller, now: Date): Promise<void> {
    if (caller.clientIp) await this.dayKey(utcDay(now));
  }

  /** Advisors' list: the locks of the last 7 days, newest first. */
  async alerts(first: number, now: Date): Promise<AlertView[]> {
    const rows = await this.repo.alerts(new Date(now.getTime() - this.policy.alertRetentionMs), first);
    return rows.map((r) => ({ ...r, active: r.lockedUntil.getTime() > now.getTime() }));
  }

  /** Deletes what no longer counts: old failures and locks, old alerts, past days' addresses. */
  async purge(now: Date): Promise<void> {
    await this.repo.purge(purgeBounds(now, this.policy));
    for (const day of this.dayKeys.keys()) if (day < utcDay(now)) this.dayKeys.delete(day);
  }

  private async fail(
    tx: EntityManager,
    m: Matricule,
    record: MatriculeRecord,
    address: AddressCount | null,
    clientId: string | null,
    attempt: Attempt,
  ): Promise<void> {
    const { now } = attempt;
    const decision = afterFailure(record, now, this.policy);
    await this.repo.saveMatricule(tx, m.index, decision.record);
    if (address) {
      const failures = await this.repo.addAddressFailure(tx, address);
      if (failures === this.policy.addressDailyCeiling)
        this.runtime.logger.warn(
          { conversationId: attempt.conversationId, ceiling: failures },
          'bot authentication: an address reached its daily ceiling of failures',
        );
    }
    if (!decision.lock) return;
    const alert: AlertRow = {
      id: randomUUID(),
      clientId,
      conversationId: attempt.conversationId,
      matriculeHint: matriculeHint(m.key),
      lockout: decision.lock.lockout,
      failures: decision.lock.failures,
      lockedAt: now,
      lockedUntil: decision.lock.until,
    };
    await this.repo.insertAlert(tx, alert);
    await this.runtime.events.outbox.publish(tx, [authenticationLocked(alert, attempt.caller)]);
    this.runtime.logger.warn(
      { alertId: alert.id, lockout: alert.lockout, lockedUntil: alert.lockedUntil.toISOString() },
      'bot authentication: a matricule is locked',
    );
  }

  /**
   * Who holds the matricule, read under that client's directory lock (the one his erasure takes,
   * first): an erasure committed before is seen (null, as a matricule nobody holds), one that
   * comes after waits for this turn and then erases what it wrote about him.
   */
  private async lockedAccess(tx: EntityManager, index: string) {
    const seen = await this.directory.accessOf(index, tx);
    if (!seen) return null;
    await this.directory.lockClient(tx, seen.clientId);
    const access = await this.directory.accessOf(index, tx);
    return access?.clientId === seen.clientId ? access : null;
  }

  /** Too many failures for the matricule, or from the address today (a read: nothing locked). */
  private async blocked(tx: EntityManager, index: string, attempt: Attempt): Promise<boolean> {
    const record = await this.repo.matricule(index, tx);
    if (record && isLocked(record, attempt.now)) return true;
    const ip = attempt.caller.clientIp;
    if (!ip) return false;
    const day = utcDay(attempt.now);
    const hash = hashAddress(await this.dayKey(day), ip);
    return isOverCeiling(await this.repo.addressFailures(day, hash, tx), this.policy);
  }

  /** The caller's address's count of the day, locked by the turn; null for a call without one. */
  private async lockAddress(tx: EntityManager, attempt: Attempt): Promise<AddressCount | null> {
    const ip = attempt.caller.clientIp;
    if (!ip) return null;
    const day = utcDay(attempt.now);
    return this.repo.lockAddress(tx, day, hashAddress(await this.dayKey(day), ip));
  }

  /** The day's key: from memory once read (prepare() reads it before the turn's transaction). */
  private async dayKey(day: string): Promise<Buffer> {
    let secret = this.dayKeys.get(day);
    if (!secret) {
      secret = (await this.repo.dayKey(day)) ?? (await this.repo.makeDayKey(day, randomBytes(32)));
      this.dayKeys.set(day, secret);
    }
    return secret;
  }
}

/** HMAC-SHA256 of the address as counted, under the day's key: the only form ever stored. */
const hashAddress = (secret: Buffer, ip: string): string =>
  createHmac('sha256', secret).update(addressKey(ip)).digest('hex');
