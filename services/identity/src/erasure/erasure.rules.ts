// What Client.erasure shows (pure): identity's own part, then each service that holds something
// of a client, in a fixed order, done once its proof arrived.
import { ERASURE_PROOFS, LEAD_ERASURE_PROOFS } from '@crm/subgraph';

/** One service's part of a client's erasure, as the supervisor reads it. */
export interface ErasureReceipt {
  service: string;
  erasedAt: Date;
  items: number;
}

export interface ServiceErasureView {
  service: string;
  done: boolean;
  erasedAt: Date | null;
  items: number | null;
}

export interface ClientErasureView {
  erasedAt: Date;
  services: ServiceErasureView[];
  complete: boolean;
}

/** identity, then the services ERASURE_PROOFS names, in its order */
export const ERASING_SERVICES = ['identity', ...Object.keys(ERASURE_PROOFS)] as const;

export function erasureProgress(erasedAt: Date, receipts: readonly ErasureReceipt[]): ClientErasureView {
  const services = ERASING_SERVICES.map((service): ServiceErasureView => {
    // identity's own part is the erasure itself: the client's record and key
    if (service === 'identity') return { service, done: true, erasedAt, items: 1 };
    const receipt = receipts.find((r) => r.service === service);
    return receipt
      ? { service, done: true, erasedAt: receipt.erasedAt, items: receipt.items }
      : { service, done: false, erasedAt: null, items: null };
  });
  return { erasedAt, services, complete: services.every((s) => s.done) };
}

/** A lead's erasure as identity recorded it (lead_erasures). */
export interface LeadErasureRecord {
  leadRecordId: string;
  erasedAt: Date;
  /** how many LeadErased events told its cases: each erasing service proves each one */
  events: number;
  cases: number;
}

/** One service's proof of one LeadErased event (lead_erasure_receipts). */
export interface LeadErasureReceipt extends ErasureReceipt {
  erasureEventId: string;
}

export interface LeadErasureView extends ClientErasureView {
  id: string;
  cases: number;
}

/** identity, then the services LEAD_ERASURE_PROOFS names, in its order */
export const LEAD_ERASING_SERVICES = ['identity', ...Object.keys(LEAD_ERASURE_PROOFS)] as const;

/**
 * What Query.leadErasure shows (pure): identity's own part (the lead and its key), then each
 * service holding the lead's cases, done once it proved every LeadErased event of the erasure
 * (their items added up, the latest date).
 */
export function leadErasureProgress(
  erasure: LeadErasureRecord,
  receipts: readonly LeadErasureReceipt[],
): LeadErasureView {
  const services = LEAD_ERASING_SERVICES.map((service): ServiceErasureView => {
    if (service === 'identity') return { service, done: true, erasedAt: erasure.erasedAt, items: 1 };
    const proofs = receipts.filter((r) => r.service === service);
    const answered = new Set(proofs.map((r) => r.erasureEventId)).size;
    if (answered < erasure.events) return { service, done: false, erasedAt: null, items: null };
    return {
      service,
      done: true,
      erasedAt: new Date(Math.max(...proofs.map((r) => r.erasedAt.getTime()))),
      items: proofs.reduce((sum, r) => sum + r.items, 0),
    };
  });
  return {
    id: erasure.leadRecordId,
    cases: erasure.cases,
    erasedAt: erasure.erasedAt,
    services,
    complete: services.every((s) => s.done),
  };
}
