// The lead upsert against a real PostgreSQL: normalization, idempotence, late events that
// never roll updated_at back, concurrent first touches, and the lead query. The table holds the
// personal columns as ciphertexts under the lead's key (docs/privacy.md): rows are read by the
// e-mail's blind index and decrypted here, and checked to hold no clear value.
import type { AnyEvent } from '@crm/events';
import { callerOfEvent } from '@crm/subgraph';
import { startIdentity, type Harness } from '../../test/harness';
import { leadField } from './lead.repository';
import type { LeadService } from './lead.service';

let h: Harness;
let leads: LeadService;
beforeAll(async () => {
  h = await startIdentity('leads');
  leads = h.service.parts.leads;
});
afterAll(() => h.stop());

const meta = callerOfEvent(
  'identity.leads',
  { id: 'a'.repeat(64), correlationId: 'corr-leads' },
  { kind: 'partner', id: 'WEB_CHAT' },
);
const at = (iso: string) => new Date(iso);
const PERSONAL = ['email', 'phone', 'name'] as const;

/**
 * The rows of the lead of `email` (found by its blind index), `columns` of each, the personal
 * ones decrypted; every personal column stored is a ciphertext (base64url: no clear e-mail,
 * which holds an @, or phone, which holds a +, fits in it).
 */
async function storedLeads(email: string, columns: string[]): Promise<Record<string, unknown>[]> {
  const { vault } = h.service.parts;
  const index = await vault.blindIndex(leadField('email'), email);
  const rows = await h.sql<Record<string, unknown>>(
    `select id, ${PERSONAL.join(', ')}, ${columns.filter((c) => !PERSONAL.includes(c as never)).join(', ')}
       from leads where email_bidx = $1`,
    [index],
  );
  const reader = await vault.reader(rows.map((r) => r.id as string));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const column of PERSONAL) {
      const text = row[column] as string | null;
      if (text === null) continue;
      expect(text).toMatch(/^pd1:[A-Za-z0-9_-]+$/);
    }
    for (const column of columns) {
      const text = row[column];
      if (!PERSONAL.includes(column as never) || text === null) out[column] = text;
      else {
        const revealed = reader.decrypt(row.id as string, leadField(column as 'email'), text as string);
        out[column] = revealed.erased ? '<erased>' : revealed.value;
      }
    }
    return out;
  });
}
const eventsOf = async (email: string): Promise<AnyEvent[]> =>
  // opened as a consumer reads them (the e-mail is sealed; the key is the lead's record)
  (await h.outbox('LeadUpserted')).filter((e) => e.type === 'LeadUpserted' && e.data.email === email);

describe('LeadService.upsert', () => {
  it('creates a normalized lead and publishes LeadUpserted keyed by its record', async () => {
    const result = await leads.upsert(
      {
        email: '  Jean.Dupont@Example.COM ',
        phone: '06 12 34 56 78',
        name: '  jean   DUPONT ',
        source: 'AUDIT_IA',
        at: at('2026-03-01T10:00:00Z'),
      },
      meta,
    );
    expect(result).toMatchObject({ created: true, changed: true });
    const [row] = await storedLeads('jean.dupont@example.com', [
      'email',
      'phone',
      'name',
      'source',
      'created_at',
      'updated_at',
    ]);
    expect(row).toEqual({
      email: 'jean.dupont@example.com',
      phone: '+33612345678',
      name: 'Jean Dupont',
      source: 'AUDIT_IA',
      created_at: at('2026-03-01T10:00:00Z'),
      updated_at: at('2026-03-01T10:00:00Z'),
    });
    const events = await eventsOf('jean.dupont@example.com');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      causationId: 'a'.repeat(64),
      actor: { kind: 'partner', id: 'WEB_CHAT' },
      data: {
        email: 'jean.dupont@example.com',
        phone: '+33612345678',
        name: 'Jean Dupont',
        source: 'AUDIT_IA',
        created: true,
        createdAt: '2026-03-01T10:00:00.000Z',
        updatedAt: '2026-03-01T10:00:00.000Z',
      },
    });
    // keyed by the lead's record; as stored (and as Kafka gets it), nothing of him in clear
    const [record] = await storedLeads('jean.dupont@example.com', ['id']);
    expect(events[0]).toMatchObject({ subject: record!.id, data: { leadRecordId: record!.id } });
    const stored = JSON.stringify(
      await h.sql(`select message_key, payload from event_outbox where event_type = 'LeadUpserted'`),
    );
    for (const clear of ['jean.dupont@example.com', '+33612345678', 'Jean Dupont'])
      expect(stored).not.toContain(clear);
  });

  it('is idempotent: the same touch again changes nothing and publishes nothing', async () => {
    const touch = {
      email: 'twice@example.com',
      name: 'Ana',
      source: 'WEB_CHAT',
      at: at('2026-03-02T08:00:00Z'),
    };
    await leads.upsert(touch, meta);
    const again = await leads.upsert({ ...touch, email: 'TWICE@example.com' }, meta);
    expect(again).toMatchObject({ created: false, changed: false });
    expect(await eventsOf('twice@example.com')).toHaveLength(1);
  });

  it('never rolls updated_at back: a late, older touch only fills blanks and moves created_at earlier', async () => {
    const email = 'late@example.com';
    await leads.upsert(
      { email, name: 'Newer Name', source: 'CALENDLY', at: at('2026-03-10T12:00:00Z') },
      meta,
    );
    const late = await leads.upsert(
      {
        email,
        name: 'older name',
        phone: '+33 7 11 22 33 44',
        source: 'AUDIT_IA',
        at: at('2026-03-05T09:00:00Z'),
      },
      meta,
    );
    expect(late.changed).toBe(true);
    expect(late.lead).toEqual({
      email,
      name: 'Newer Name',
      phone: '+33711223344',
      source: 'AUDIT_IA',
      createdAt: at('2026-03-05T09:00:00Z'),
      updatedAt: at('2026-03-10T12:00:00Z'),
      phoneAt: at('2026-03-05T09:00:00Z'),
      nameAt: at('2026-03-10T12:00:00Z'),
    });
    const newer = await leads.upsert(
      { email, name: 'Latest Name', source: 'WEB_CHAT', at: at('2026-03-11T12:00:00Z') },
      meta,
    );
    expect(newer.lead).toMatchObject({
      name: 'Latest Name',
      source: 'AUDIT_IA',
      updatedAt: at('2026-03-11T12:00:00Z'),
    });
    const [row] = await storedLeads(email, ['name', 'phone', 'source', 'created_at', 'updated_at']);
    expect(row).toEqual({
      name: 'Latest Name',
      phone: '+33711223344',
      source: 'AUDIT_IA',
      created_at: at('2026-03-05T09:00:00Z'),
      updated_at: at('2026-03-11T12:00:00Z'),
    });
    expect((await eventsOf(email)).map((e) => (e.data as { created: boolean }).created)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('creates one lead when first touches of one e-mail race', async () => {
    const email = 'race@example.com';
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        leads.upsert(
          { email, name: `Racer ${i}`, source: 'WEB_CHAT', at: at(`2026-04-01T10:00:0${i}Z`) },
          meta,
        ),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await storedLeads(email, ['name', 'updated_at']);
    expect(rows).toEqual([{ name: 'Racer 5', updated_at: at('2026-04-01T10:00:05Z') }]);
  });

  it('rejects an unreadable touch with every problem (VALIDATION.FAILED) and writes nothing', async () => {
    const before = (await h.outbox('LeadUpserted')).length;
    await expect(
      leads.upsert(
        { email: 'no-at-sign', phone: 'call me', source: ' ', at: at('2026-03-01T00:00:00Z') },
        meta,
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION.FAILED',
      problems: [{ field: 'email' }, { field: 'phone' }, { field: 'source' }],
    });
    expect((await h.outbox('LeadUpserted')).length).toBe(before);
  });

  it('joins the caller transaction: a consumer that rolls back leaves neither lead nor event', async () => {
    const email = 'rolled.back@example.com';
    await expect(
      h.service.runtime.dataSource.transaction(async (manager) => {
        await leads.upsert({ email, source: 'WEB_CHAT', at: at('2026-03-01T00:00:00Z') }, meta, manager);
        throw new Error('consumer failed after the upsert');
      }),
    ).rejects.toThrow('consumer failed');
    expect(await storedLeads(email, ['source'])).toEqual([]);
    // and the whole table holds no such e-mail either, in clear or as a blind index of its own
    expect(JSON.stringify(await h.sql(`select * from leads`))).not.toContain('rolled.back');
    expect(await eventsOf(email)).toEqual([]);
  });
});

describe('lead query', () => {
  it('finds a lead by e-mail in any case; null when unknown; VALIDATION.FAILED when not an e-mail', async () => {
    await leads.upsert(
      { email: 'query.me@example.com', source: 'MANUAL', at: at('2026-03-01T00:00:00Z') },
      meta,
    );
    const found = await h.gql(
      `{ lead(email: " Query.Me@EXAMPLE.com") { email source createdAt updatedAt phone name } }`,
    );
    expect(found.data).toEqual({
      lead: {
        email: 'query.me@example.com',
        source: 'MANUAL',
        createdAt: '2026-03-01T00:00:00.000Z',
        updatedAt: '2026-03-01T00:00:00.000Z',
        phone: null,
        name: null,
      },
    });
    const unknown = await h.gql(`{ lead(email: "nobody@example.com") { email } }`);
    expect(unknown.data).toEqual({ lead: null });
    const invalid = await h.gql(`{ lead(email: "nobody") { email } }`);
    expect(invalid.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');
  });
});
