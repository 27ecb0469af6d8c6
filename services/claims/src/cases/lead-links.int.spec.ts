// Cases recorded before identity linked leads to their cases (CaseLeadLinks1767900003000) are
// named to identity once (cases/lead-links.ts): one CaseLeadLinked per older case of an e-mail
// lead, its lead sealed under the case's key, in batches that commit with their marks; a case
// whose lead is a claim's client, an erased case and a case recorded since are not named. Real
// PostgreSQL; identity's side: services/identity/src/lead/lead.consumer.int.spec.ts.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { startClaims } from '../../test/harness';
import { publishLeadLinks } from './lead-links';

const h = perFile(() => startClaims('lead_links'));

describe('naming older cases to identity (CaseLeadLinked)', () => {
  it('publishes one sealed link per older case of an e-mail lead, once, batch after batch', async () => {
    const canary = `canari${randomUUID().slice(0, 8)}`;
    const mails = [1, 2, 3].map((i) => `${canary}.${i}@exemple.fr`);
    const [a, b, c, client, erased, recent] = Array.from({ length: 6 }, () => `case-${randomUUID()}`);
    const seed = (id: string, leadId: string) => h.seedCase({ id, leadId, intent: 'DTV', status: 'NEW' });
    await seed(a!, mails[0]!);
    await seed(b!, mails[1]!);
    await seed(c!, mails[2]!);
    await seed(client!, randomUUID()); // a claim's case: its lead is the client's id
    await seed(erased!, `${canary}.efface@exemple.fr`);
    await h.service.parts.cases.eraseCases(h.service.runtime.dataSource.manager, [erased!], new Date());
    // recorded before the migration: pending; the recent one is linked by its CaseEventRecorded
    await seed(recent!, `${canary}.recent@exemple.fr`);
    await h.sql(`update cases set lead_link_published = false where case_id = any($1::varchar[])`, [
      [a, b, c, client, erased],
    ]);

    // batches of two: three transactions for five pending cases
    expect(await publishLeadLinks(h.service.runtime, h.service.parts.cases, 2)).toBe(3);
    const links = (await h.outbox()).filter((r) => r.event_type === 'CaseLeadLinked');
    expect(links.map((r) => [r.message_key, (r.payload.data as { leadId: string }).leadId]).sort()).toEqual(
      [
        [a, mails[0]],
        [b, mails[1]],
        [c, mails[2]],
      ].sort(),
    );
    // as stored: the lead sealed under the case's key, nothing of it in clear
    const stored = await h.sql<{ payload: unknown }>(
      `select payload from event_outbox where event_type = 'CaseLeadLinked'`,
    );
    expect(stored).toHaveLength(3);
    expect(JSON.stringify(stored)).not.toContain(canary);
    expect(await h.sql(`select case_id from cases where not lead_link_published`)).toEqual([]);

    // once: nothing left to name
    expect(await publishLeadLinks(h.service.runtime, h.service.parts.cases, 2)).toBe(0);
    expect((await h.outbox()).filter((r) => r.event_type === 'CaseLeadLinked')).toHaveLength(3);
  });
});
