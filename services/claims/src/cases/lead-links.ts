// Issue 18: a lead's erasure reaches the cases identity linked to it, and identity links a case
// from its CaseEventRecorded only since its LeadCases migration. Each case recorded before is
// named to identity once (CaseLeadLinked: the case and its lead's e-mail, sealed under the case's
// key), by this task, in batches that commit with their marks; identity links it when it knows the
// lead. A case whose lead is a claim's client (no e-mail) or that was erased needs no link. Once
// every case is marked, a tick is one probe of a partial index (idx_cases_lead_link_pending).
import { newEvent } from '@crm/events';
import { eventOptions, PeriodicTask, systemCaller, type ServiceRuntime } from '@crm/subgraph';
import type { CaseRepository } from './case.repository';

export const LEAD_LINKS_ACTOR = 'claims.lead-links';
/** cases named per transaction */
export const LEAD_LINK_BATCH = 200;

/** Names every case still pending to identity, batch after batch; how many links were published. */
export async function publishLeadLinks(
  runtime: ServiceRuntime,
  cases: CaseRepository,
  batch = LEAD_LINK_BATCH,
): Promise<number> {
  let published = 0;
  for (;;) {
    const done = await runtime.dataSource.transaction(async (tx) => {
      const pending = await cases.pendingLeadLinks(tx, batch);
      const now = runtime.clock();
      const events = pending.flatMap(({ caseId, lead }) =>
        lead?.includes('@')
          ? [
              newEvent(
                'CaseLeadLinked',
                { caseId, leadId: lead },
                eventOptions(systemCaller(LEAD_LINKS_ACTOR), 'claims', caseId, now),
              ),
            ]
          : [],
      );
      if (events.length) await runtime.events.outbox.publish(tx, events);
      await cases.markLeadLinksPublished(
        tx,
        pending.map((p) => p.caseId),
      );
      return { seen: pending.length, published: events.length };
    });
    published += done.published;
    if (done.seen < batch) return published;
  }
}

/** The task that runs it at start and then every `intervalMs` (new pending cases cannot appear). */
export function leadLinksTask(
  runtime: ServiceRuntime,
  cases: CaseRepository,
  intervalMs: number,
): PeriodicTask {
  return new PeriodicTask(
    'lead links',
    intervalMs,
    async () => {
      const published = await publishLeadLinks(runtime, cases);
      if (published) runtime.logger.info({ published }, 'older cases named to identity for their lead');
    },
    runtime.logger,
  );
}
