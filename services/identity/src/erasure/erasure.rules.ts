// What Client.erasure shows (pure): identity's own part, then each service that holds something
// of a client, in a fixed order, done once its proof arrived.
import { ERASURE_PROOFS } from '@crm/subgraph';
import type { ErasureReceipt } from './erasure.consumer';

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
