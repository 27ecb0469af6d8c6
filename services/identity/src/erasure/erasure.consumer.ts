// The other services' proofs of their part of an erasure (docs/security.md, Erasure): one
// receipt per client and service, which Client.erasure shows the supervisor as the erasure's
// progress. Idempotent (the processed-event row commits with the receipt); a later proof of the
// same service (a second erasure request of the same client) replaces the earlier one. A lead's
// erasure is proven per LeadErased event (LEAD_ERASURE_PROOFS), one receipt each, which
// Query.leadErasure shows the same way.
import { rejectEvent, topicForEventType, type AnyEvent } from '@crm/events';
import { ERASURE_PROOFS, isUuid, LEAD_ERASURE_PROOFS, type ServiceRuntime } from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import type { ErasureReceipt, LeadErasureReceipt, LeadErasureRecord } from './erasure.rules';

export const ERASURES_CONSUMER = 'identity.erasures';

const PROOF_TYPES = [...Object.values(ERASURE_PROOFS), ...Object.values(LEAD_ERASURE_PROOFS)];
const SERVICE_OF: Record<string, string> = Object.fromEntries(
  [...Object.entries(ERASURE_PROOFS), ...Object.entries(LEAD_ERASURE_PROOFS)].map(([service, type]) => [
    type,
    service,
  ]),
);

export type { ErasureReceipt } from './erasure.rules';

export async function recordReceipt(manager: EntityManager, event: AnyEvent): Promise<void> {
  const service = SERVICE_OF[event.type];
  if (!service || !('erasureEventId' in event.data)) return;
  if ('leadRecordId' in event.data) {
    const { leadRecordId, erasureEventId, erasedAt, items } = event.data;
    if (!isUuid(leadRecordId)) throw rejectEvent(`${event.type} ${event.id}: ${leadRecordId} is not a UUID`);
    await manager.query(
      `INSERT INTO lead_erasure_receipts (lead_record_id, service, erasure_event_id, erased_at, items)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (lead_record_id, service, erasure_event_id) DO NOTHING`,
      [leadRecordId, service, erasureEventId, erasedAt, items],
    );
    return;
  }
  if (!('clientId' in event.data)) return;
  const { clientId, erasureEventId, erasedAt, items } = event.data;
  if (!isUuid(clientId)) throw rejectEvent(`${event.type} ${event.id}: ${clientId} is not a UUID`);
  await manager.query(
    `INSERT INTO erasure_receipts (client_id, service, erasure_event_id, erased_at, items)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (client_id, service) DO UPDATE SET
       erasure_event_id = excluded.erasure_event_id, erased_at = excluded.erased_at,
       items = excluded.items, received_at = NOW()
     WHERE erasure_receipts.erased_at <= excluded.erased_at`,
    [clientId, service, erasureEventId, erasedAt, items],
  );
}

export async function subscribeErasureReceipts(runtime: ServiceRuntime): Promise<void> {
  await runtime.events.subscribe({
    consumer: ERASURES_CONSUMER,
    topics: [...new Set(PROOF_TYPES.map((type) => topicForEventType(type, runtime.events.catalog).name))],
    types: PROOF_TYPES,
    handler: (event, manager) => recordReceipt(manager, event),
  });
}

/** The receipts of each client, by client id (Client.erasure's loader). */
export async function receiptsOf(
  manager: EntityManager,
  clientIds: readonly string[],
): Promise<Map<string, ErasureReceipt[]>> {
  const rows = await manager.query<{ client_id: string; service: string; erased_at: Date; items: number }[]>(
    `SELECT client_id, service, erased_at, items FROM erasure_receipts
      WHERE client_id = ANY($1::uuid[]) ORDER BY client_id, service`,
    [clientIds],
  );
  const byClient = new Map<string, ErasureReceipt[]>();
  for (const r of rows) {
    const list = byClient.get(r.client_id) ?? [];
    list.push({ service: r.service, erasedAt: r.erased_at, items: r.items });
    byClient.set(r.client_id, list);
  }
  return byClient;
}

/** A lead's erasure and every proof of it (Query.leadErasure); null when identity erased no such lead. */
export async function leadErasureOf(
  manager: EntityManager,
  leadRecordId: string,
): Promise<{ erasure: LeadErasureRecord; receipts: LeadErasureReceipt[] } | null> {
  const [erasure] = await manager.query<{ erased_at: Date; events: number; cases: number }[]>(
    `SELECT erased_at, events, cases FROM lead_erasures WHERE lead_record_id = $1`,
    [leadRecordId],
  );
  if (!erasure) return null;
  const receipts = await manager.query<
    { service: string; erasure_event_id: string; erased_at: Date; items: number }[]
  >(
    `SELECT service, erasure_event_id, erased_at, items FROM lead_erasure_receipts
      WHERE lead_record_id = $1 ORDER BY service, erased_at`,
    [leadRecordId],
  );
  return {
    erasure: { leadRecordId, erasedAt: erasure.erased_at, events: erasure.events, cases: erasure.cases },
    receipts: receipts.map((r) => ({
      service: r.service,
      erasureEventId: r.erasure_event_id,
      erasedAt: r.erased_at,
      items: r.items,
    })),
  };
}
