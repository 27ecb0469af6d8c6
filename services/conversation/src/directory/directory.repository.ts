// Queries of the directory projection. Every write is conditional on the event being at least
// as new as what the row holds (last_event_at), so a replayed or late event never undoes a
// newer one; the consumer checks erasures first, so nothing comes back for an erased client.
// The one place where the directory's clients are encrypted and decrypted (@crm/privacy): the
// matricule, civility, names and phone are ciphertexts under the client's data key (this
// service's own), the matricule is found by its keyed blind index (matricule_key), and the
// client's erasure shreds his key (docs/privacy.md).
import type { FieldReader, PersonalDataVault } from '@crm/privacy';
import { In, IsNull, type EntityManager } from 'typeorm';
import { lockKey } from '@crm/db';
import { type DirectoryClaim, type DirectoryClient, type DirectoryContract } from '../engine';
import { DirectoryClaimEntity, DirectoryClientEntity, DirectoryContractEntity } from './directory.entity';
import { engineClaimType, isClaimStatus, matriculeKey } from './directory.rules';

export interface ClientRow {
  clientId: string;
  matricule: string;
  civility: string | null;
  lastName: string;
  firstName: string;
  status: 'actif' | 'inactif';
  /** E.164, as identity keeps it: the number an advisor calls back */
  phone: string | null;
}

export interface ContractRow {
  contractId: string;
  clientId: string;
  contractNumber: string;
  contractType: string;
  status: string;
  subscribedOn: string;
  expiresOn: string | null;
  coverages: string[];
  thirdPartyDeductible: string | null;
  collisionDeductible: string | null;
  propertyDamageCover: boolean | null;
  thirdPartyCover: boolean | null;
  civilLiabilityCover: boolean | null;
}

export interface ClaimRow {
  claimId: string;
  clientId: string;
  claimNumber: string;
  claimType: string;
  occurredOn: string;
  status: string;
}

/** What the bot needs to decide how to authenticate a matricule, before reading anything back. */
export interface DirectoryAccess {
  clientId: string;
  /** the personal code's argon2id hash; null when the client has none */
  pinHash: string | null;
}

/** The field name bound to each ciphertext (additional data) and to the matricule's blind index. */
export const directoryField = (column: string): string => `directory_clients.${column}`;
const MATRICULE_INDEX = directoryField('matricule');

export class DirectoryRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly vault: PersonalDataVault,
  ) {}

  /** The blind index of a matricule key (matriculeKey): how a matricule is stored and found. */
  matriculeIndex(key: string): Promise<string> {
    return key === '' ? Promise.resolve('') : this.vault.blindIndex(MATRICULE_INDEX, key);
  }

  /**
   * Serializes, until the transaction ends, every event touching one client: a contract keyed
   * by its own id cannot slip in between an erasure's check and its deletes.
   */
  async lockClient(tx: EntityManager, clientId: string): Promise<void> {
    await lockKey(tx, `directory:${clientId}`);
  }

  /**
   * Whether the claim's client was erased, read under his lock (a message written in `tx` then
   * commits before his erasure, which erases it, or is refused after it).
   */
  async claimErased(tx: EntityManager, claimId: string): Promise<boolean> {
    const [owner] = await tx.query<{ client_id: string }[]>(
      `SELECT client_id FROM directory_claims WHERE claim_id = $1`,
      [claimId],
    );
    if (owner) await this.lockClient(tx, owner.client_id);
    const rows = await tx.query<unknown[]>(`SELECT 1 FROM directory_erased_claims WHERE claim_id = $1`, [
      claimId,
    ]);
    return rows.length > 0;
  }

  /** Read under the client's lock (lockClient), in the event's transaction. */
  async isErased(tx: EntityManager, clientId: string): Promise<boolean> {
    const rows = await tx.query<unknown[]>(`SELECT 1 FROM directory_erasures WHERE client_id = $1`, [
      clientId,
    ]);
    return rows.length > 0;
  }

  /** ClientRegistered and ClientUpdated both carry the whole client: one idempotent upsert. */
  async upsertClient(tx: EntityManager, c: ClientRow, at: Date): Promise<void> {
    const writer = await this.vault.writer(c.clientId, tx);
    const seal = (column: string, value: string | null) =>
      value === null ? null : writer.encrypt(directoryField(column), value);
    await tx.query(
      `INSERT INTO directory_clients
         (client_id, matricule, matricule_key, civility, last_name, first_name, status, phone, last_event_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $9, $8, NOW())
       ON CONFLICT (client_id) DO UPDATE SET
         matricule = excluded.matricule, matricule_key = excluded.matricule_key,
         civility = excluded.civility, last_name = excluded.last_name, first_name = excluded.first_name,
         status = excluded.status, phone = excluded.phone, last_event_at = excluded.last_event_at, updated_at = NOW()
       WHERE directory_clients.last_event_at <= excluded.last_event_at`,
      [
        c.clientId,
        seal('matricule', c.matricule),
        await this.matriculeIndex(matriculeKey(c.matricule)),
        seal('civility', c.civility),
        seal('last_name', c.lastName),
        seal('first_name', c.firstName),
        c.status,
        at,
        seal('phone', c.phone),
      ],
    );
  }

  /**
   * ClientPinChanged: the code's hash, or null once removed. Conditional on the event's time
   * like every write here; the row stays with a null hash so a late event cannot restore it.
   */
  async upsertPin(tx: EntityManager, clientId: string, pinHash: string | null, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO directory_pins (client_id, pin_hash, last_event_at, updated_at) VALUES ($1, $2, $3, NOW())
       ON CONFLICT (client_id) DO UPDATE SET
         pin_hash = excluded.pin_hash, last_event_at = excluded.last_event_at, updated_at = NOW()
       WHERE directory_pins.last_event_at <= excluded.last_event_at`,
      [clientId, pinHash, at],
    );
  }

  /** The client's phone (E.164) for a call-back; null when identity has none or he was erased. */
  async phoneOf(clientId: string, tx?: EntityManager): Promise<string | null> {
    const rows = await (tx ?? this.manager).query<{ phone: string | null }[]>(
      `SELECT phone FROM directory_clients WHERE client_id = $1`,
      [clientId],
    );
    const phone = rows[0]?.phone ?? null;
    if (phone === null) return null;
    const revealed = (await this.vault.reader([clientId], tx)).decrypt(
      clientId,
      directoryField('phone'),
      phone,
    );
    return revealed.erased ? null : revealed.value;
  }

  /** The matricule's index of a client, for what is kept per matricule (failed authentications). */
  async matriculeKeyOf(tx: EntityManager, clientId: string): Promise<string | null> {
    const rows = await tx.query<{ matricule_key: string }[]>(
      `SELECT matricule_key FROM directory_clients WHERE client_id = $1`,
      [clientId],
    );
    return rows[0]?.matricule_key ?? null;
  }

  /** GDPR: the client's rows go; only the bare id stays, so late events cannot bring them back. */
  async eraseClient(tx: EntityManager, clientId: string, at: Date): Promise<void> {
    await tx.query(`DELETE FROM directory_pins WHERE client_id = $1`, [clientId]);
    await tx.query(`DELETE FROM directory_contracts WHERE client_id = $1`, [clientId]);
    // his claims' ids stay, without him: nothing more is written on them (claimErased)
    await tx.query(
      `INSERT INTO directory_erased_claims (claim_id, erased_at)
       SELECT claim_id, $2 FROM directory_claims WHERE client_id = $1 ON CONFLICT (claim_id) DO NOTHING`,
      [clientId, at],
    );
    await tx.query(`DELETE FROM directory_claims WHERE client_id = $1`, [clientId]);
    await tx.query(`DELETE FROM directory_clients WHERE client_id = $1`, [clientId]);
    await tx.query(
      `INSERT INTO directory_erasures (client_id, erased_at) VALUES ($1, $2) ON CONFLICT (client_id) DO NOTHING`,
      [clientId, at],
    );
    // his key goes with the transaction: any copy of the rows (a backup, a replica) stays unreadable
    await this.vault.shred(clientId, tx);
  }

  async upsertContract(tx: EntityManager, c: ContractRow, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO directory_contracts
         (contract_id, client_id, contract_number, contract_type, status, subscribed_on, expires_on, coverages,
          third_party_deductible, collision_deductible, property_damage_cover, third_party_cover,
          civil_liability_cover, last_event_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, NOW())
       ON CONFLICT (contract_id) DO UPDATE SET
         client_id = excluded.client_id, contract_number = excluded.contract_number,
         contract_type = excluded.contract_type, status = excluded.status,
         subscribed_on = excluded.subscribed_on, expires_on = excluded.expires_on, coverages = excluded.coverages,
         third_party_deductible = excluded.third_party_deductible,
         collision_deductible = excluded.collision_deductible,
         property_damage_cover = excluded.property_damage_cover, third_party_cover = excluded.third_party_cover,
         civil_liability_cover = excluded.civil_liability_cover,
         last_event_at = excluded.last_event_at, updated_at = NOW()
       WHERE directory_contracts.last_event_at <= excluded.last_event_at`,
      [
        c.contractId,
        c.clientId,
        c.contractNumber,
        c.contractType,
        c.status,
        c.subscribedOn,
        c.expiresOn,
        JSON.stringify(c.coverages),
        c.thirdPartyDeductible,
        c.collisionDeductible,
        c.propertyDamageCover,
        c.thirdPartyCover,
        c.civilLiabilityCover,
        at,
      ],
    );
  }

  async upsertClaim(tx: EntityManager, c: ClaimRow, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO directory_claims
         (claim_id, client_id, claim_number, claim_type, occurred_on, status, last_event_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NOW())
       ON CONFLICT (claim_id) DO UPDATE SET
         client_id = excluded.client_id, claim_number = excluded.claim_number, claim_type = excluded.claim_type,
         occurred_on = excluded.occurred_on, last_event_at = excluded.last_event_at, updated_at = NOW()
       WHERE directory_claims.last_event_at <= excluded.last_event_at`,
      [c.claimId, c.clientId, c.claimNumber, c.claimType, c.occurredOn, c.status, at],
    );
  }

  /**
   * Archived: kept (an erasure of the client still finds what was said on it), no longer named
   * nor counted by the bot. One seen before the claim itself is lost with it: ClaimOpened is
   * published first, on the same key.
   */
  async archiveClaim(tx: EntityManager, claimId: string, archivedAt: Date): Promise<void> {
    await tx.query(
      `UPDATE directory_claims SET archived_at = $2, updated_at = NOW() WHERE claim_id = $1 AND archived_at IS NULL`,
      [claimId, archivedAt],
    );
  }

  /** A status change seen before the claim itself changes nothing (ClaimOpened carries a status). */
  async setClaimStatus(tx: EntityManager, claimId: string, status: string, at: Date): Promise<void> {
    await tx.query(
      `UPDATE directory_claims SET status = $2, last_event_at = $3, updated_at = NOW()
       WHERE claim_id = $1 AND last_event_at <= $3`,
      [claimId, status, at],
    );
  }

  /** Whose matricule it is and whether he set a code, by matricule index; null when nobody's. */
  async accessOf(index: string, tx?: EntityManager): Promise<DirectoryAccess | null> {
    if (!index) return null;
    const rows = await (tx ?? this.manager).query<{ client_id: string; pin_hash: string | null }[]>(
      `SELECT c.client_id, p.pin_hash
       FROM directory_clients c LEFT JOIN directory_pins p ON p.client_id = c.client_id
       WHERE c.matricule_key = $1`,
      [index],
    );
    const row = rows[0];
    return row ? { clientId: row.client_id, pinHash: row.pin_hash } : null;
  }

  /** The engine's view of a client, by matricule in any spelling; null when unknown or erased. */
  async findByMatricule(matricule: string, tx?: EntityManager): Promise<DirectoryClient | null> {
    const index = await this.matriculeIndex(matriculeKey(matricule));
    if (!index) return null;
    const client = await (tx ?? this.manager)
      .getRepository(DirectoryClientEntity)
      .findOneBy({ matriculeKey: index });
    return client ? this.clientOf(client, tx) : null;
  }

  async findByClientId(clientId: string, tx?: EntityManager): Promise<DirectoryClient | null> {
    const client = await (tx ?? this.manager).getRepository(DirectoryClientEntity).findOneBy({ clientId });
    return client ? this.clientOf(client, tx) : null;
  }

  async contractsOf(clientIds: string[], tx?: EntityManager): Promise<DirectoryContractEntity[]> {
    return (tx ?? this.manager).getRepository(DirectoryContractEntity).find({
      where: { clientId: In(clientIds) },
      order: { subscribedOn: 'ASC', contractNumber: 'ASC' },
    });
  }

  /** The client's personal values decrypted; null when his key is gone (erased meanwhile). */
  private async opened(client: DirectoryClientEntity, tx?: EntityManager) {
    const reader: FieldReader = await this.vault.reader([client.clientId], tx);
    const open = (column: string, text: string) =>
      reader.decrypt(client.clientId, directoryField(column), text);
    const matricule = open('matricule', client.matricule);
    const lastName = open('last_name', client.lastName);
    const firstName = open('first_name', client.firstName);
    const civility = client.civility === null ? null : open('civility', client.civility);
    if (matricule.erased || lastName.erased || firstName.erased || civility?.erased) return null;
    return {
      matricule: matricule.value,
      civility: civility ? civility.value : null,
      lastName: lastName.value,
      firstName: firstName.value,
    };
  }

  private async clientOf(client: DirectoryClientEntity, tx?: EntityManager): Promise<DirectoryClient | null> {
    const person = await this.opened(client, tx);
    if (!person) return null;
    const contracts: DirectoryContract[] = (await this.contractsOf([client.clientId], tx)).map((r) => ({
      contractId: r.contractId,
      contractNumber: r.contractNumber,
      type: r.contractType as DirectoryContract['type'],
      status: r.status as DirectoryContract['status'],
      startDate: r.subscribedOn,
    }));
    const claimRows = await (tx ?? this.manager).getRepository(DirectoryClaimEntity).find({
      where: { clientId: client.clientId, archivedAt: IsNull() },
      order: { occurredOn: 'DESC', claimNumber: 'ASC' },
    });
    const claims: DirectoryClaim[] = [];
    for (const r of claimRows) {
      const claimType = engineClaimType(r.claimType);
      if (claimType && isClaimStatus(r.status))
        claims.push({
          claimId: r.claimId,
          claimNumber: r.claimNumber,
          claimType,
          occurredOn: r.occurredOn,
          status: r.status,
        });
    }
    return { clientId: client.clientId, ...person, contracts, claims };
  }
}
