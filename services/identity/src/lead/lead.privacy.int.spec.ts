// Issue 18 on the real PostgreSQL, for leads (a partner's prospects): the leads table holds no
// clear personal data, the database refuses clear text, the lead is still found by its e-mail
// (through the blind index) and read back whole through the graph, and the EncryptLeads
// migration encrypts an existing database in place.
import { CiphertextError, freshServicePrivacy, serviceVault } from '@crm/privacy';
import { callerOfEvent } from '@crm/subgraph';
import { perFile, migrateFrom, tablesText } from '@crm/testing';
import { ClientRecord } from '../client/client.entity';
import { ContractEntity } from '../contract/contract.entity';
import { identityMigrations } from '../db/migrations/1763800000000-CreateIdentitySchema';
import { startIdentity } from '../../test/harness';
import { LeadRecord } from './lead.entity';
import { leadField, LeadRepository } from './lead.repository';

// canaries: values that appear nowhere else, in the spellings a partner may send
const CANARY = { email: 'Lead.Canary613@Example.fr', phone: '06 13 61 36 13', name: 'canarylead  LEADNAME' };
const SEARCHED = ['lead.canary613', '613613613', '06 13 61 36 13', 'canarylead', 'leadname'];
const caller = callerOfEvent('identity.leads', { id: 'c'.repeat(64), correlationId: 'corr-lead-privacy' });

describe('leads at rest', () => {
  const h = perFile(() => startIdentity('lead_privacy'));

  it('hold no clear text of a canary lead, who still reads back whole through the graph', async () => {
    const { lead } = await h.service.parts.leads.upsert(
      { ...CANARY, source: 'AUDIT_IA', at: new Date('2026-05-01T09:00:00Z') },
      caller,
    );
    expect(lead).toMatchObject({ email: 'lead.canary613@example.fr', phone: '+33613613613' });

    const tables = await tablesText(h.sql);
    for (const table of ['leads', 'privacy_keys']) {
      const text = tables.get(table)!;
      expect(text.length).toBeGreaterThan(0);
      for (const canary of SEARCHED) expect(text).not.toContain(canary);
    }
    const index = await h.service.parts.vault.blindIndex(leadField('email'), 'lead.canary613@example.fr');
    const [raw] = await h.sql<{ id: string; email: string; phone: string; name: string }>(
      `select id, email, phone, name from leads where email_bidx = $1`,
      [index],
    );
    for (const column of ['email', 'phone', 'name'] as const)
      expect(raw![column]).toMatch(/^pd1:[A-Za-z0-9_-]+$/);
    // the database itself refuses clear text
    await expect(
      h.sql(`update leads set name = 'Canarylead Leadname' where id = $1`, [raw!.id]),
    ).rejects.toThrow('leads_personal_encrypted_check');
    // a ciphertext moved onto another column does not decrypt (the field is bound to it)
    const reader = await h.service.parts.vault.reader([raw!.id]);
    expect(() => reader.decrypt(raw!.id, leadField('name'), raw!.phone)).toThrow(CiphertextError);

    const found = await h.gql(`{ lead(email: "LEAD.canary613@example.fr ") { email phone name source } }`);
    expect(found.errors).toBeUndefined();
    expect(found.data).toEqual({
      lead: {
        email: 'lead.canary613@example.fr',
        phone: '+33613613613',
        name: 'Canarylead Leadname',
        source: 'AUDIT_IA',
      },
    });
  });
});

describe('EncryptLeads migration', () => {
  it('encrypts the leads of an existing database in place, which keeps working', async () => {
    const privacy = freshServicePrivacy();
    await migrateFrom('identity_encrypt_leads', {
      of: {
        migrations: identityMigrations(privacy.wrapper),
        entities: [ClientRecord, ContractEntity, LeadRecord],
      },
      name: 'EncryptLeads1767500000000',
      // the database as it was before: clear leads
      seed: async (old) => {
        await old.query(
          `insert into leads (email, phone, name, source, created_at, updated_at, phone_updated_at, name_updated_at)
             values ('ancien.lead@example.fr', '+33655443322', 'Ancien Prospect', 'CALENDLY',
                     '2026-02-01T10:00:00Z', '2026-02-03T10:00:00Z', '2026-02-03T10:00:00Z', '2026-02-01T10:00:00Z'),
                    ('sans.rien@example.fr', null, null, 'WEB_CHAT', '2026-02-02T10:00:00Z', '2026-02-02T10:00:00Z', null, null)`,
        );
      },
      check: async (ds) => {
        const text = (await tablesText((q, p) => ds.query(q, p))).get('leads')!;
        for (const clear of ['ancien.lead', 'sans.rien', '655443322', 'ancien prospect'])
          expect(text).not.toContain(clear);

        const vault = serviceVault(privacy, ds);
        const leads = new LeadRepository(ds.manager, vault);
        expect(
          await leads.findByEmails(['ancien.lead@example.fr', 'sans.rien@example.fr', 'x@example.fr']),
        ).toEqual(
          expect.arrayContaining([
            {
              email: 'ancien.lead@example.fr',
              phone: '+33655443322',
              name: 'Ancien Prospect',
              source: 'CALENDLY',
              createdAt: new Date('2026-02-01T10:00:00Z'),
              updatedAt: new Date('2026-02-03T10:00:00Z'),
              phoneAt: new Date('2026-02-03T10:00:00Z'),
              nameAt: new Date('2026-02-01T10:00:00Z'),
            },
            expect.objectContaining({ email: 'sans.rien@example.fr', phone: null, name: null }),
          ]),
        );
        expect(await leads.findByEmails(['x@example.fr'])).toEqual([]);
        // each lead has a key of its own, and one e-mail is still one lead
        const ids = await ds.query<{ id: string }[]>(`select id from leads`);
        expect(new Set(ids.map((r) => r.id)).size).toBe(2);
        await expect(
          ds.query(
            `insert into leads (id, email_bidx, email, source, created_at, updated_at)
             select gen_random_uuid(), email_bidx, email, 'X', now(), now() from leads limit 1`,
          ),
        ).rejects.toThrow('leads_email_bidx_key');
      },
    });
  });
});
