// Every query of the clients table: reads on the manager it is built with, writes and locks on a
// tx. The one place where client rows are encrypted and decrypted (@crm/privacy): the personal
// columns hold ciphertexts under the client's data key, lookups by matricule and e-mail go
// through keyed blind indexes, and erasure shreds the key (docs/privacy.md).
import { In, type EntityManager } from 'typeorm';
import type { AuditRow, FieldChange } from '@crm/db';
import {
  auditFieldName,
  decodeCursor,
  encodeCursor,
  revealFieldChanges,
  sealFieldChanges,
  type AuditFieldChangeView,
} from '@crm/subgraph';
import { isUuid, uuidsOnly } from '@crm/subgraph';
import type { FieldReader, PersonalDataVault } from '@crm/privacy';
import { ClientRecord, type ClientEntity } from './client.entity';
import { eraseClient, type ClientState } from './client.rules';
import { identityError } from '../errors';

export const MATRICULE_UNIQUE = 'clients_matricule_bidx_key';
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** The encrypted properties and their columns (the column names the AAD and the migration use). */
export const ENCRYPTED_CLIENT_COLUMNS = {
  matricule: 'matricule',
  civility: 'civilite',
  lastName: 'nom',
  firstName: 'prenom',
  birthDate: 'date_naissance',
  email: 'email',
  phone: 'telephone',
  address: 'adresse',
  postalCode: 'code_postal',
  city: 'ville',
} as const;
type EncryptedProperty = keyof typeof ENCRYPTED_CLIENT_COLUMNS;
const PROPERTIES = Object.keys(ENCRYPTED_CLIENT_COLUMNS) as EncryptedProperty[];

/** The field name bound to each ciphertext (additional data) and to each blind index. */
export const clientField = (column: string): string => `clients.${column}`;
export const MATRICULE_INDEX = clientField('matricule');
/** The field name bound to an audit record's old or new value of a client's property. */
/** Audited values of a client are sealed as `audit.client.<property>`. */
const AUDIT_ENTITY = 'client';
export const auditField = (property: string): string => auditFieldName(AUDIT_ENTITY, property);
export const EMAIL_INDEX = clientField('email');

export interface ClientPage {
  rows: { client: ClientEntity; cursor: string }[];
  hasNextPage: boolean;
  totalCount: number;
}

/** What an erased client reads as: the markers of eraseClient, whatever the row still holds. */
const erasedView = (record: ClientRecord): ClientEntity => eraseClient(record, record.updatedAt);

function decrypted(reader: FieldReader, record: ClientRecord): ClientEntity {
  const client: ClientState = { ...record };
  delete (client as Partial<ClientRecord>).matriculeIndex;
  delete (client as Partial<ClientRecord>).emailIndex;
  for (const property of PROPERTIES) {
    const text = record[property];
    if (text === null) continue;
    const revealed = reader.decrypt(record.id, clientField(ENCRYPTED_CLIENT_COLUMNS[property]), text);
    // a live row whose key is gone: its data is erased, whatever its status says
    if (revealed.erased) return erasedView(record);
    (client as unknown as Record<EncryptedProperty, string>)[property] = revealed.value;
  }
  return client;
}

export class ClientRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly vault: PersonalDataVault,
  ) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(ClientRecord);
  }

  /** Decrypts rows (one key query for the batch); erased clients are never decrypted. */
  private async reveal(records: ClientRecord[], tx?: EntityManager): Promise<ClientEntity[]> {
    const live = records.filter((r) => r.status !== 'ERASED');
    const reader =
      live.length > 0
        ? await this.vault.reader(
            live.map((r) => r.id),
            tx,
          )
        : null;
    return records.map((r) =>
      r.status === 'ERASED' || reader === null ? erasedView(r) : decrypted(reader, r),
    );
  }

  private async revealOne(record: ClientRecord | null, tx?: EntityManager): Promise<ClientEntity | null> {
    return record === null ? null : (await this.reveal([record], tx))[0]!;
  }

  /** The stored form: every personal value encrypted under the client's key, and the blind indexes. */
  private async sealed(client: ClientState, tx: EntityManager): Promise<ClientRecord> {
    const writer = await this.vault.writer(client.id, tx);
    const record = this.repo().create({
      ...client,
      matriculeIndex: await this.vault.blindIndex(MATRICULE_INDEX, client.matricule),
      emailIndex: client.email === null ? null : await this.vault.blindIndex(EMAIL_INDEX, client.email),
    });
    for (const property of PROPERTIES) {
      const value = client[property];
      if (value !== null)
        (record as unknown as Record<EncryptedProperty, string>)[property] = writer.encrypt(
          clientField(ENCRYPTED_CLIENT_COLUMNS[property]),
          value,
        );
    }
    return record;
  }

  /**
   * A registration's or an update's changed fields as its audit record keeps them (docs/security.md, Audit log): the
   * old and the new value of each, encrypted under the client's key like the row, so that the
   * client's erasure makes them unreadable with the rest.
   */
  async sealChanges(
    before: Partial<ClientState>,
    after: ClientState,
    fields: readonly (keyof ClientState)[],
    /** the transaction it runs in, if any (the key is read on its connection) */
    tx?: EntityManager,
  ): Promise<Record<string, FieldChange>> {
    return sealFieldChanges(this.vault, after.id, AUDIT_ENTITY, before, after, fields, tx);
  }

  /**
   * A change of what the client has beside his row (whether he has a personal code:
   * setClientPin) as his audit record keeps it: sealed under his key like his fields
   * (`audit.client.<field>`), opened with them (revealChanges).
   */
  async sealOtherChanges<T extends object>(
    clientId: string,
    before: Partial<T>,
    after: Partial<T>,
    fields: readonly Extract<keyof T, string>[],
    tx: EntityManager,
  ): Promise<Record<string, FieldChange>> {
    return sealFieldChanges(this.vault, clientId, AUDIT_ENTITY, before, after, fields, tx);
  }

  /**
   * Opens the sealed changes of audit records about clients (the record's entity is the client):
   * one key query for the batch; a shredded key reads as erased.
   */
  revealChanges(records: readonly AuditRow[]): Promise<Map<number, AuditFieldChangeView[]>> {
    return revealFieldChanges(this.vault, AUDIT_ENTITY, records);
  }

  async findByIds(ids: readonly string[]): Promise<ClientEntity[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return [];
    return this.reveal(await this.repo().findBy({ id: In(valid) }));
  }

  /** `matricule` normalized (AB-123-CD): found by its blind index. */
  async findByMatricule(matricule: string): Promise<ClientEntity | null> {
    const matriculeIndex = await this.vault.blindIndex(MATRICULE_INDEX, matricule);
    return this.revealOne(await this.repo().findOneBy({ matriculeIndex }));
  }

  /** `email` normalized: the clients who gave it, by its blind index. */
  async findByEmail(email: string): Promise<ClientEntity[]> {
    const emailIndex = await this.vault.blindIndex(EMAIL_INDEX, email);
    return this.reveal(await this.repo().findBy({ emailIndex }));
  }

  /** Locks the row for the rest of the transaction (concurrent updates serialize). */
  async findForUpdate(tx: EntityManager, id: string): Promise<ClientEntity | null> {
    if (!isUuid(id)) return null;
    const record = await this.repo(tx)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
    return this.revealOne(record, tx);
  }

  async insert(tx: EntityManager, client: ClientState): Promise<ClientEntity> {
    await this.repo(tx).insert(await this.sealed(client, tx));
    return { ...client };
  }

  async update(tx: EntityManager, client: ClientState): Promise<ClientEntity> {
    const { id, ...fields } = await this.sealed(client, tx);
    await this.repo(tx).update({ id }, fields);
    return { ...client };
  }

  /**
   * GDPR erasure: the status changes, the blind indexes go, and the client's data key is
   * shredded in the same transaction; the ciphertexts stay, unreadable by anyone (as in every
   * backup and copy). The caller forgets the cached key once the transaction committed.
   */
  async markErased(tx: EntityManager, erased: ClientState): Promise<ClientEntity> {
    await this.repo(tx).update(
      { id: erased.id },
      { status: 'ERASED', updatedAt: erased.updatedAt, matriculeIndex: null, emailIndex: null },
    );
    await this.vault.shred(erased.id, tx);
    return { ...erased };
  }

  /**
   * Newest first, keyset on (date_creation, id). The cursor carries date_creation as
   * PostgreSQL prints it (microseconds): a JavaScript Date would round to milliseconds and
   * repeat or skip rows created within the same millisecond.
   */
  async page(first: number, after: string | null): Promise<ClientPage> {
    const qb = this.repo()
      .createQueryBuilder('c')
      .addSelect(`to_char(c.date_creation, 'YYYY-MM-DD"T"HH24:MI:SS.US')`, 'cursor_at')
      .orderBy('c.date_creation', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(first + 1);
    if (after !== null) {
      const { sortValue, id } = decodeCursor(after);
      if (!CURSOR_AT.test(sortValue) || !isUuid(id))
        throw identityError('PAGINATION.INVALID_CURSOR', 'invalid cursor');
      qb.where('(c.date_creation, c.id) < (CAST(:at AS timestamp), CAST(:id AS uuid))', {
        at: sortValue,
        id,
      });
    }
    const [{ raw, entities }, totalCount] = await Promise.all([
      qb.getRawAndEntities<{ cursor_at: string }>(),
      this.repo().count(),
    ]);
    const clients = await this.reveal(entities.slice(0, first));
    const rows = clients.map((client, i) => ({
      client,
      cursor: encodeCursor(raw[i]!.cursor_at, client.id),
    }));
    return { rows, hasNextPage: entities.length > first, totalCount };
  }
}
