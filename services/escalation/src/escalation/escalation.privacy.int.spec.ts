// Issue 18: what the queue holds about people is sealed at rest. A canary in a partner's call
// request (the lead's e-mail, name, phone and notes) and in the advisor's resolution is nowhere in
// clear in any table of the service's database, its outbox included (the events carry them
// sealed: docs/privacy.md, Events), reads back whole through the graph, and the table refuses
// clear text. The
// EncryptEscalations migration converts an existing database in place.
import type { AuditRow, FieldChange } from '@crm/db';
import { revealFieldChanges, vaultOf } from '@crm/subgraph';
import { randomUUID } from 'node:crypto';
import { newEvent } from '@crm/events';
import { freshServicePrivacy, serviceVault } from '@crm/privacy';
import { perFile, migrateFrom, tablesText, waitFor } from '@crm/testing';
import { REQUESTS_CONSUMER, escalationService } from '../service';
import { RESOLVE_ESCALATION, startHarness } from '../../test/harness';
import { EscalationRepository } from './escalation.repository';

/** the partner's request was made a minute before the service's pinned now */
const REQUESTED_AT = new Date('2031-05-12T09:00:00.000Z');
const NOW = new Date(REQUESTED_AT.getTime() + 60_000);

describe('queue entries at rest', () => {
  // a pinned clock: the request's age (CALL_REQUEST_MAX_AGE_MS) is read against it, not today
  const h = perFile(() => startHarness('escalation_privacy', { clock: () => new Date(NOW.getTime()) }));

  it('keeps no word about a person in clear, and reads every one back through the graph', async () => {
    const canary = `canari${randomUUID().slice(0, 8)}`;
    const caseId = randomUUID();
    const requestedAt = REQUESTED_AT;
    const request = newEvent(
      'CaseCallRequested',
      {
        caseId,
        leadId: `${canary}@example.fr`,
        name: `Marie ${canary}`,
        phone: '+33698765432',
        intent: 'DTV',
        siteId: 'siam-visa-pro',
        eventId: randomUUID().replace(/-/g, '').repeat(2),
        reason: 'case_complexity',
        userStage: 'documents_review',
        notes: `rappeler ${canary} le soir`,
        requestedAt: requestedAt.toISOString(),
        callBackBy: new Date(requestedAt.getTime() + 4 * 3_600_000).toISOString(),
      },
      { source: 'claims', subject: caseId, actor: { kind: 'partner', id: 'WEB_CHAT' } },
    );
    await h.send(request);
    await waitFor(
      'the request queued',
      async () => (await h.processedCount(REQUESTS_CONSUMER, [request.id])) === 1,
    );
    const [entry] = await h.query<{ id: string }>(`select id from escalades where dossier_id = $1`, [caseId]);
    const advisor = await h.registerAdvisor();
    expect((await h.assign(entry!.id, advisor.id)).errors).toBeUndefined();
    const resolved = await h.gql(RESOLVE_ESCALATION, {
      input: { escalationId: entry!.id, resolution: `${canary} rappelée, rendez-vous pris` },
    });
    expect(resolved.errors).toBeUndefined();

    // the resolution's audit record keeps the words sealed under the entry's key, readable by
    // whoever holds it (docs/security.md, Audit log)
    const records = await h.query<{ seq: string; entityId: string; changes: Record<string, FieldChange> }>(
      `select seq, entity_id as "entityId", changes from audit_log
        where operation = 'Mutation.resolveEscalation' and entity_id = $1`,
      [entry!.id],
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.changes.resolution!.new).toMatch(/^pd1:/);
    const opened = await revealFieldChanges(
      vaultOf(h.service.runtime),
      'escalation',
      records.map((r) => ({ ...r, seq: Number(r.seq) }) as unknown as AuditRow),
    );
    expect(opened.get(Number(records[0]!.seq))).toEqual([
      { field: 'resolution', old: null, new: `${canary} rappelée, rendez-vous pris`, erased: false },
      { field: 'status', old: 'ASSIGNED', new: 'RESOLVED', erased: false },
    ]);

    const tables = await tablesText(h.query);
    expect(tables.get('escalades')).toMatch(/pd1:/);
    const holding = [...tables]
      .filter(([, text]) => text.includes(canary) || text.includes('698765432'))
      .map(([name]) => name);
    expect(holding).toEqual([]);

    const read = await h.gql<{
      escalation: {
        lead: { email: string };
        callRequest: { name: string; notes: string; phone: string };
        resolution: string;
      };
    }>(
      `query($id: ID!) { escalation(id: $id) { lead { email } callRequest { name notes phone } resolution } }`,
      { id: entry!.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.escalation).toEqual({
      lead: { email: `${canary}@example.fr` },
      callRequest: { name: `Marie ${canary}`, notes: `rappeler ${canary} le soir`, phone: '+33698765432' },
      resolution: `${canary} rappelée, rendez-vous pris`,
    });
  });

  it('refuses clear words in the table itself', async () => {
    await expect(
      h.query(
        `insert into escalades (dossier_id, lead_email, raisons, priorite, statut) values ($1, 'lead@example.fr', '[]', 0, 'en_attente')`,
        [randomUUID()],
      ),
    ).rejects.toThrow(/escalades_personal_encrypted_check/);
  });
});

describe('EncryptEscalations migration', () => {
  it('seals the entries of an existing database in place, which keep working', async () => {
    const privacy = freshServicePrivacy();
    const definition = escalationService({ privacy });
    const [callId, handoffId] = [randomUUID(), randomUUID()];
    const details = { reason: 'case_complexity', name: 'Ancien Prospect', intent: 'DTV', siteId: 's' };
    await migrateFrom('escalation_encrypt', {
      of: definition,
      name: 'PrivacyKeys1767700000000',
      seed: async (old) => {
        await old.query(
          `insert into escalades (id, dossier_id, lead_email, lead_telephone, details, raisons, priorite, statut)
             values ($1, $2, 'ancien.prospect@example.fr', '+33655443322', $3, '["CALL_REQUESTED"]', 0, 'en_attente')`,
          [callId, randomUUID(), JSON.stringify(details)],
        );
        await old.query(
          `insert into escalades (id, conversation_id, client_id, rappel_propose_telephone, rappel_propose_avant,
                                    rappel_propose_le, raisons, priorite, statut)
             values ($1, $2, $3, '+33611223344', '2031-05-12 11:00', '2031-05-12 09:00', '[]', 0, 'en_attente')`,
          [handoffId, randomUUID(), randomUUID()],
        );
      },
      check: async (ds) => {
        const text = JSON.stringify(await ds.query(`select * from escalades`)).toLowerCase();
        for (const clear of ['ancien.prospect', 'ancien prospect', '655443322', '611223344'])
          expect(text).not.toContain(clear);
        const repo = new EscalationRepository(ds.manager, serviceVault(privacy, ds));
        const rows = await repo.findByIds([callId, handoffId]);
        expect(rows.find((r) => r.id === callId)).toMatchObject({
          leadEmail: 'ancien.prospect@example.fr',
          leadPhone: '+33655443322',
          details,
        });
        expect(rows.find((r) => r.id === handoffId)).toMatchObject({
          offeredCallBackPhone: '+33611223344',
        });
      },
    });
  });
});
