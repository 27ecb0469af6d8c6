// Every query of client_pins: one row per client who has a code, holding its argon2id hash.
// Nothing here ever returns the hash to a caller of the graph: only whether there is one.
import type { EntityManager } from 'typeorm';
import { uuidsOnly } from '@crm/subgraph';

export class PinRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The clients among `clientIds` who have a code. */
  async withPin(clientIds: readonly string[]): Promise<Set<string>> {
    const ids = uuidsOnly(clientIds);
    if (ids.length === 0) return new Set();
    const rows = await this.manager.query<{ client_id: string }[]>(
      `SELECT client_id FROM client_pins WHERE client_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((r) => r.client_id));
  }

  /** Whether the client has a code, read in the caller's transaction (under his row's lock). */
  async has(tx: EntityManager, clientId: string): Promise<boolean> {
    const rows = await tx.query<unknown[]>(`SELECT 1 FROM client_pins WHERE client_id = $1`, [clientId]);
    return rows.length > 0;
  }

  async upsert(tx: EntityManager, clientId: string, pinHash: string, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO client_pins (client_id, pin_hash, date_modification) VALUES ($1, $2, $3)
       ON CONFLICT (client_id) DO UPDATE SET pin_hash = excluded.pin_hash, date_modification = excluded.date_modification`,
      [clientId, pinHash, at],
    );
  }

  /** True when there was a code to remove. */
  async delete(tx: EntityManager, clientId: string): Promise<boolean> {
    const [, count] = await tx.query<[unknown[], number]>(`DELETE FROM client_pins WHERE client_id = $1`, [
      clientId,
    ]);
    return count > 0;
  }
}
