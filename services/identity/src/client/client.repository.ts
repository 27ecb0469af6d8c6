// Every query of the clients table: reads on the manager it is built with, writes and locks on a tx.
import { In, type EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '@crm/subgraph';
import { isUuid, uuidsOnly } from '@crm/subgraph';
import { ClientEntity } from './client.entity';
import type { ClientState } from './client.rules';
import { identityError } from '../errors';

export const MATRICULE_UNIQUE = 'clients_matricule_key';
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

export interface ClientPage {
  rows: { client: ClientEntity; cursor: string }[];
  hasNextPage: boolean;
  totalCount: number;
}

export class ClientRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(ClientEntity);
  }

  findByIds(ids: readonly string[]): Promise<ClientEntity[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return Promise.resolve([]);
    return this.repo().findBy({ id: In(valid) });
  }

  findByMatricule(matricule: string): Promise<ClientEntity | null> {
    return this.repo().findOneBy({ matricule });
  }

  /** Locks the row for the rest of the transaction (concurrent updates serialize). */
  findForUpdate(tx: EntityManager, id: string): Promise<ClientEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo(tx)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
  }

  async insert(tx: EntityManager, client: ClientState): Promise<ClientEntity> {
    const entity = this.repo(tx).create(client);
    await this.repo(tx).insert(entity);
    return entity;
  }

  async update(tx: EntityManager, client: ClientState): Promise<ClientEntity> {
    const { id, ...fields } = client;
    await this.repo(tx).update({ id }, fields);
    return this.repo(tx).create(client);
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
    const rows = entities.slice(0, first).map((client, i) => ({
      client,
      cursor: encodeCursor(raw[i]!.cursor_at, client.id),
    }));
    return { rows, hasNextPage: entities.length > first, totalCount };
  }
}
