// Queries of the directory projection. Every write is conditional on the event being at least
// as new as what the row holds (last_event_at), so a replayed or late event never undoes a
// newer one; the consumer checks erasures first, so nothing comes back for an erased client.
import { In, type EntityManager } from 'typeorm';
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

export class DirectoryRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Serializes, until the transaction ends, every event touching one client: a contract keyed
   * by its own id cannot slip in between an erasure's check and its deletes.
   */
  async lockClient(tx: EntityManager, clientId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`directory:${clientId}`]);
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
        c.matricule,
        matriculeKey(c.matricule),
        c.civility,
        c.lastName,
        c.firstName,
        c.status,
        at,
        c.phone,
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
    return rows[0]?.phone ?? null;
  }

  /** The matricule key of a client, for what is kept per matricule (failed authentications). */
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

  /** A status change seen before the claim itself changes nothing (ClaimOpened carries a status). */
  async setClaimStatus(tx: EntityManager, claimId: string, status: string, at: Date): Promise<void> {
    await tx.query(
      `UPDATE directory_claims SET status = $2, last_event_at = $3, updated_at = NOW()
       WHERE claim_id = $1 AND last_event_at <= $3`,
      [claimId, status, at],
    );
  }

  /** Whose matricule it is and whether he set a code, by matricule key; null when nobody's. */
  async accessOf(key: string, tx?: EntityManager): Promise<DirectoryAccess | null> {
    if (!key) return null;
    const rows = await (tx ?? this.manager).query<{ client_id: string; pin_hash: string | null }[]>(
      `SELECT c.client_id, p.pin_hash
       FROM directory_clients c LEFT JOIN directory_pins p ON p.client_id = c.client_id
       WHERE c.matricule_key = $1`,
      [key],
    );
    const row = rows[0];
    return row ? { clientId: row.client_id, pinHash: row.pin_hash } : null;
  }

  /** The engine's view of a client, by matricule in any spelling; null when unknown or erased. */
  async findByMatricule(matricule: string, tx?: EntityManager): Promise<DirectoryClient | null> {
    const key = matriculeKey(matricule);
    if (!key) return null;
    const client = await (tx ?? this.manager)
      .getRepository(DirectoryClientEntity)
      .findOneBy({ matriculeKey: key });
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

  private async clientOf(client: DirectoryClientEntity, tx?: EntityManager): Promise<DirectoryClient> {
    const contracts: DirectoryContract[] = (await this.contractsOf([client.clientId], tx)).map((r) => ({
      contractId: r.contractId,
      contractNumber: r.contractNumber,
      type: r.contractType as DirectoryContract['type'],
      status: r.status as DirectoryContract['status'],
      startDate: r.subscribedOn,
    }));
    const claimRows = await (tx ?? this.manager).getRepository(DirectoryClaimEntity).find({
      where: { clientId: client.clientId },
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
    return {
      clientId: client.clientId,
      matricule: client.matricule,
      civility: client.civility,
      lastName: client.lastName,
      firstName: client.firstName,
      contracts,
      claims,
    };
  }
}
