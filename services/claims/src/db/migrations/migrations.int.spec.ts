// The claims schema against the seed DDL: every seed column with its type, the CHECK
// constraints on the French enumerations, the seed indexes, and a clean down migration.
import { randomUUID } from 'node:crypto';
import { openDatabase } from '@crm/db';
import { EVENT_BACKBONE_MIGRATIONS } from '@crm/events';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { DataSource } from 'typeorm';
import { devServicePrivacy } from '@crm/privacy';
import { claimsMigrations } from '.';

const CLAIMS_MIGRATIONS = claimsMigrations(devServicePrivacy().wrapper);

let db: TestDatabase;
let ds: DataSource;
beforeAll(async () => {
  db = await createTestDatabase('claims_schema');
  ds = await openDatabase({
    url: db.url,
    applicationName: 'claims-schema-test',
    migrations: [...EVENT_BACKBONE_MIGRATIONS, ...CLAIMS_MIGRATIONS],
  });
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

async function columns(table: string): Promise<Record<string, string>> {
  const rows: { column_name: string; type: string }[] = await ds.query(
    `select column_name,
            data_type || coalesce('(' || character_maximum_length || ')', '')
              || case when data_type = 'numeric' then '(' || numeric_precision || ',' || numeric_scale || ')' else '' end as type
       from information_schema.columns where table_name = $1`,
    [table],
  );
  return Object.fromEntries(rows.map((r) => [r.column_name, r.type]));
}

describe('claims database schema', () => {
  it('has every column of the seed table sinistres, with the seed types, plus the documented additions', async () => {
    expect(await columns('sinistres')).toEqual({
      id: 'uuid',
      numero_sinistre: 'character varying(50)',
      client_id: 'uuid',
      contrat_id: 'uuid',
      date_sinistre: 'timestamp without time zone',
      type_sinistre: 'character varying(50)',
      description: 'text',
      // ciphertexts since issue 18 (the seed's widths are the inputs' bounds)
      lieu: 'text',
      tiers_implique: 'boolean',
      nom_tiers: 'text',
      contact_tiers: 'text',
      tiers_responsable: 'boolean',
      constat_amiable: 'boolean',
      numero_constat: 'character varying(50)',
      police_intervenue: 'boolean',
      numero_proces_verbal: 'character varying(50)',
      estimation_dommage: 'numeric(12,2)',
      date_estimation: 'date',
      photo_urls: 'jsonb',
      cci_score: 'smallint',
      status_dossier: 'character varying(30)',
      type_traitement: 'character varying(20)',
      conseiller_affecte_id: 'uuid',
      date_creation: 'timestamp without time zone',
      date_modification: 'timestamp without time zone',
      date_fermeture: 'timestamp without time zone',
      // additions (README)
      archived_at: 'timestamp without time zone',
      cci_breakdown: 'jsonb',
      cci_policy_version: 'character varying(40)',
      case_id: 'character varying(200)',
      declencheurs: 'jsonb',
      historique_statut: 'jsonb',
      // issue 15: when the assigned advisor was assigned (AdvisorAssigned)
      conseiller_affecte_le: 'timestamp without time zone',
      // when the client was erased: no new words about him after it
      client_efface_le: 'timestamp without time zone',
      // false: the client named the day, not the hour (date_sinistre is the day's start)
      heure_connue: 'boolean',
    });
  });

  it('has the seed columns of actions_recommandees and seed 2 cases and case events', async () => {
    expect(Object.keys(await columns('actions_recommandees')).sort()).toEqual(
      [
        'id',
        'sinistre_id',
        'type_action',
        'description',
        'priorite',
        'statut',
        'date_creation',
        'date_execution',
        // issue 19: due date, who/when/why of the last status change, the overdue alert
        'date_echeance',
        'statut_par_type',
        'statut_par_id',
        'date_statut',
        'motif_statut',
        'alerte_retard_le',
      ].sort(),
    );
    expect(Object.keys(await columns('cases')).sort()).toEqual(
      [
        'case_id',
        'lead_id',
        'intent',
        'status',
        'owner_uid',
        'site_id',
        'confidence_score',
        'last_event_at',
        'next_action_at',
        'created_at',
        // issue 15: when owner_uid's advisor was assigned
        'owner_assigned_at',
        // issue 18: the lead's blind index (lead_id is sealed), when the lead was erased
        'lead_bidx',
        'erased_at',
        // issue 18: whether the case was named to identity for its lead's link (CaseLeadLinked)
        'lead_link_published',
      ].sort(),
    );
    expect(Object.keys(await columns('case_events')).sort()).toEqual(
      // notes: identity fields a partner event was applied without (issue 12)
      [
        'event_id',
        'case_id',
        'type',
        'timestamp',
        'source',
        'source_id',
        'payload',
        'summary',
        'notes',
      ].sort(),
    );
  });

  it('keeps the seed indexes by name', async () => {
    const rows: { indexname: string }[] = await ds.query(
      `select indexname from pg_indexes where tablename = 'sinistres'`,
    );
    expect(rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        'idx_sinistres_client',
        'idx_sinistres_status',
        'idx_sinistres_cci',
        'sinistres_numero_sinistre_key',
      ]),
    );
  });

  it('enforces the French enumerations, the CCI range and unique claim numbers', async () => {
    const insert = (values: Record<string, unknown>) => {
      const row = {
        numero_sinistre: `SIN-T-${Math.random()}`,
        client_id: '11111111-1111-4111-8111-111111111111',
        date_sinistre: '2026-02-02T14:30:00Z',
        ...values,
      };
      const keys = Object.keys(row);
      return ds.query(
        `insert into sinistres (${keys.join(', ')}) values (${keys.map((_, i) => `$${i + 1}`).join(', ')}) returning id, status_dossier`,
        Object.values(row),
      );
    };
    const ok = (await insert({
      type_sinistre: 'dégâts',
      type_traitement: 'expert',
      status_dossier: 'fermé',
    })) as { id: string }[];
    expect(ok).toHaveLength(1);
    expect(((await insert({})) as { status_dossier: string }[])[0]!.status_dossier).toBe('nouveau');
    await expect(insert({ status_dossier: 'ferme' })).rejects.toThrow(/check constraint/);
    await expect(insert({ status_dossier: 'CLOSED' })).rejects.toThrow(/check constraint/);
    await expect(insert({ type_sinistre: 'inondation' })).rejects.toThrow(/check constraint/);
    await expect(insert({ type_traitement: 'manuel' })).rejects.toThrow(/check constraint/);
    await expect(
      insert({ cci_score: 101, cci_policy_version: 'cci-v1', cci_breakdown: '{}' }),
    ).rejects.toThrow(/check constraint/);
    // a score without its policy version cannot be explained
    await expect(insert({ cci_score: 50 })).rejects.toThrow(/sinistres_cci_explained/);
    await expect(insert({ declencheurs: '{}' })).rejects.toThrow(/sinistres_declencheurs_array/);
    await expect(insert({ historique_statut: 'null' })).rejects.toThrow(/sinistres_historique_statut_array/);
    // hand-recorded activity (issue 21: rows of their own): the recordable kinds only, of a claim
    const activity = (claimId: string, kind: string) =>
      ds.query(
        `insert into activites_sinistre (sinistre_id, type_activite, date_activite, acteur_type, acteur_id, date_enregistrement)
         values ($1, $2, now(), 'advisor', 'a', now())`,
        [claimId, kind],
      );
    await activity(ok[0]!.id, 'LETTER_SENT');
    await expect(activity(ok[0]!.id, 'ALERT')).rejects.toThrow(/activites_sinistre_type/);
    await expect(activity(randomUUID(), 'LETTER_SENT')).rejects.toThrow(/foreign key/);
    await expect(
      insert({ numero_sinistre: 'SIN-DUP' }).then(() => insert({ numero_sinistre: 'SIN-DUP' })),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      ds.query(
        `insert into actions_recommandees (sinistre_id, type_action, priorite) values ($1, 'expertise', 'urgente')`,
        [ok[0]!.id],
      ),
    ).rejects.toThrow(/check constraint/);
    await expect(
      ds.query(
        `insert into actions_recommandees (sinistre_id, type_action) values (gen_random_uuid(), 'expertise')`,
      ),
    ).rejects.toThrow(/foreign key/);
    // the lead is sealed (issue 18): a clear one is refused
    await expect(
      ds.query(
        `insert into cases (case_id, lead_id, lead_bidx, intent, status) values ('c', 'a@b.fr', 'i', 'X', 'NEW')`,
      ),
    ).rejects.toThrow(/cases_personal_encrypted_check/);
    // words about people are ciphertexts only (issue 18): clear text is refused
    for (const words of [
      { description: 'choc arrière' },
      { lieu: 'Lyon' },
      { nom_tiers: 'Martin' },
      { contact_tiers: '+33612345678' },
      { photo_urls: '["https://files.example/a.jpg"]' },
      { historique_statut: '[{"from": "NEW", "to": "CLOSED", "reason": "en clair"}]' },
    ])
      await expect(insert(words)).rejects.toThrow(/sinistres_personal_encrypted_check/);
    expect(await insert({ description: 'pd1:AAAA', historique_statut: '[{"reason": null}]' })).toHaveLength(
      1,
    );
    await expect(
      ds.query(
        `insert into activites_sinistre (sinistre_id, type_activite, detail, date_activite, acteur_type, acteur_id, date_enregistrement)
         values ($1, 'LETTER_SENT', 'lettre', now(), 'advisor', 'a', now())`,
        [ok[0]!.id],
      ),
    ).rejects.toThrow(/activites_sinistre_personal_encrypted_check/);
  });

  it('reverts cleanly', async () => {
    await ds.query(`delete from actions_recommandees`);
    await ds.query(`delete from sinistres`);
    // ClaimOccurredTimeKnown: the column goes; made again over claims recorded before it, a
    // claim at a day's start (the bot's day without its hour) reads unknown, others known
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('sinistres'))).not.toContain('heure_connue');
    await ds.query(
      `insert into sinistres (numero_sinistre, client_id, date_sinistre) values
         ('SIN-MIG-DAY', $1, '2026-12-07 00:00:00'), ('SIN-MIG-HOUR', $1, '2026-12-07 17:20:00')`,
      [randomUUID()],
    );
    await ds.runMigrations({ transaction: 'each' });
    expect(
      await ds.query(
        `select numero_sinistre, heure_connue from sinistres where numero_sinistre like 'SIN-MIG-%' order by 1`,
      ),
    ).toEqual([
      { numero_sinistre: 'SIN-MIG-DAY', heure_connue: false },
      { numero_sinistre: 'SIN-MIG-HOUR', heure_connue: true },
    ]);
    await ds.query(`delete from sinistres`);
    await ds.undoLastMigration({ transaction: 'each' });
    // CaseLeadLinks: the column and its partial index go
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('cases'))).not.toContain('lead_link_published');
    // EncryptCaseJournal goes back only where no case is sealed: refused while one is, then undone
    await ds.query(
      `insert into cases (case_id, lead_id, lead_bidx, intent, status) values ('mig-sealed', 'pd1:AAAA', 'i', 'X', 'NEW')`,
    );
    await expect(ds.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/not reversible/);
    await ds.query(`delete from cases where case_id = 'mig-sealed'`);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await columns('cases')).toMatchObject({ lead_id: 'character varying(254)' });
    expect(Object.keys(await columns('cases'))).not.toContain('lead_bidx');
    // EncryptClaims goes back only where no word is sealed: refused while one is, then undone
    const [sealed] = await ds.query<[{ id: string }]>(
      `insert into sinistres (numero_sinistre, client_id, date_sinistre, description)
       values ('SIN-MIG-SEALED', $1, now(), 'pd1:AAAA') returning id`,
      [randomUUID()],
    );
    await expect(ds.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/not reversible/);
    await ds.query(`delete from sinistres where id = $1`, [sealed.id]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await columns('sinistres')).toMatchObject({
      lieu: 'character varying(255)',
      nom_tiers: 'character varying(100)',
      contact_tiers: 'character varying(20)',
    });
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`select 1 from pg_tables where tablename = 'privacy_keys'`)).toEqual([]);
    // the rest of the walk with the list as it was before the privacy migrations, without the
    // five undone above (runMigrations below re-applies what the walk undoes, not the privacy
    // migrations, which would seal the rows compared)
    await ds.destroy();
    ds = await openDatabase({
      url: db.url,
      applicationName: 'claims-schema-test',
      migrations: [...EVENT_BACKBONE_MIGRATIONS, ...CLAIMS_MIGRATIONS.slice(0, -5)],
    });
    await ds.query(`delete from case_events where type = 'CLAIM_OPENED'`);
    // the stall timer's journal entry is accepted, then gone with its migration
    const delayEntry = (id: string) =>
      ds.query(
        `insert into case_events (event_id, case_id, type, timestamp, source, source_id, payload)
         values ($1, 'mig-delay', 'DELAY_EXCEEDED', now(), 'claims', $1, '{}')`,
        [id],
      );
    await ds.query(
      `insert into cases (case_id, lead_id, intent, status) values ('mig-delay', 'a@b.fr', 'X', 'NEW')`,
    );
    await delayEntry('d1');
    // the journal's notes are a list
    await expect(
      ds.query(
        `insert into case_events (event_id, case_id, type, timestamp, source, source_id, payload, notes)
         values ('n1', 'mig-delay', 'DELAY_EXCEEDED', now(), 'claims', 'n1', '{}', '{}')`,
      ),
    ).rejects.toThrow(/check constraint/);
    // a claim's activity rows go back into its JSONB array, and come out again the same
    const [claim] = await ds.query<[{ id: string; client_id: string }]>(
      `insert into sinistres (numero_sinistre, client_id, date_sinistre) values ('SIN-MIG-ACT', $1, now()) returning id, client_id`,
      [randomUUID()],
    );
    await ds.query(
      `insert into activites_sinistre (sinistre_id, type_activite, detail, date_activite, acteur_type, acteur_id, date_enregistrement)
       values ($1, 'LETTER_SENT', 'lettre', '2026-03-20 14:00:00', 'advisor', 'adv-1', '2026-03-21 08:00:00'),
              ($1, 'DOCUMENTS_RECEIVED', null, '2026-03-19 09:30:00', 'client', 'c-1', '2026-03-21 09:00:00')`,
      [claim.id],
    );
    const activityRows = () =>
      ds.query(
        `select type_activite, detail, to_char(date_activite, 'YYYY-MM-DD HH24:MI') as at, acteur_type, acteur_id,
                to_char(date_enregistrement, 'YYYY-MM-DD HH24:MI') as recorded from activites_sinistre order by id`,
      );
    const rowsBefore: unknown[] = await activityRows();
    // ErasedClients: the table goes; applied again, it knows a client erased before it from his
    // claims' marks
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`select 1 from pg_tables where tablename = 'clients_effaces'`)).toEqual([]);
    await ds.query(`update sinistres set client_efface_le = '2026-03-22 10:00:00' where id = $1`, [claim.id]);
    await ds.runMigrations({ transaction: 'each' });
    expect(
      await ds.query(`select client_id, to_char(efface_le, 'YYYY-MM-DD HH24:MI') as at from clients_effaces`),
    ).toEqual([{ client_id: claim.client_id, at: '2026-03-22 10:00' }]);
    await ds.undoLastMigration({ transaction: 'each' });
    await ds.query(`update sinistres set client_efface_le = null where id = $1`, [claim.id]);
    // ClientErasure: the column goes
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('sinistres'))).not.toContain('client_efface_le');
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`select 1 from pg_tables where tablename = 'activites_sinistre'`)).toEqual([]);
    const [{ activites }] = await ds.query<[{ activites: unknown[] }]>(
      `select activites from sinistres where id = $1`,
      [claim.id],
    );
    expect(activites).toEqual([
      {
        kind: 'LETTER_SENT',
        detail: 'lettre',
        at: '2026-03-20T14:00:00.000Z',
        actor: { kind: 'advisor', id: 'adv-1' },
        recordedAt: '2026-03-21T08:00:00.000Z',
      },
      {
        kind: 'DOCUMENTS_RECEIVED',
        detail: null,
        at: '2026-03-19T09:30:00.000Z',
        actor: { kind: 'client', id: 'c-1' },
        recordedAt: '2026-03-21T09:00:00.000Z',
      },
    ]);
    await ds.runMigrations({ transaction: 'each' });
    expect(Object.keys(await columns('sinistres'))).not.toContain('activites');
    expect(await activityRows()).toEqual(rowsBefore);
    // ErasedClients, ClientErasure and ClaimActivityRows again (runMigrations applied them)
    await ds.undoLastMigration({ transaction: 'each' });
    await ds.undoLastMigration({ transaction: 'each' });
    await ds.undoLastMigration({ transaction: 'each' });
    await ds.query(`delete from sinistres`);
    // the audit log (issue 18), then the dashboard's legacy table
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`select 1 from pg_tables where tablename = 'audit_log'`)).toEqual([]);
    await ds.undoLastMigration({ transaction: 'each' });
    const legacy: unknown[] = await ds.query(`select 1 from pg_tables where tablename = 'audit_sessions'`);
    expect(legacy).toEqual([]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('actions_recommandees'))).not.toContain('date_echeance');
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('sinistres'))).not.toContain('conseiller_affecte_le');
    expect(Object.keys(await columns('cases'))).not.toContain('owner_assigned_at');
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('case_events'))).not.toContain('notes');
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('sinistres'))).not.toContain('activites');
    await ds.undoLastMigration({ transaction: 'each' });
    await expect(delayEntry('d2')).rejects.toThrow(/check constraint/);
    const stallIndex: unknown[] = await ds.query(
      `select 1 from pg_indexes where indexname = 'idx_sinistres_stall'`,
    );
    expect(stallIndex).toEqual([]);
    await ds.undoLastMigration({ transaction: 'each' });
    // the journal no longer takes a claim's opening
    await ds.query(
      `insert into cases (case_id, lead_id, intent, status) values ('mig-case', 'a@b.fr', 'X', 'NEW')`,
    );
    await expect(
      ds.query(
        `insert into case_events (event_id, case_id, type, timestamp, source, source_id, payload)
         values ('x', 'mig-case', 'CLAIM_OPENED', now(), 'claims', 'x', '{}')`,
      ),
    ).rejects.toThrow(/check constraint/);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(Object.keys(await columns('sinistres'))).not.toContain('declencheurs');
    await ds.undoLastMigration({ transaction: 'each' });
    const rows: { table_name: string }[] = await ds.query(
      `select table_name from information_schema.tables where table_schema = 'public' and table_name in ('sinistres', 'actions_recommandees', 'cases', 'case_events')`,
    );
    expect(rows).toEqual([]);
    await ds.runMigrations({ transaction: 'each' });
    expect(Object.keys(await columns('sinistres'))).toContain('numero_sinistre');
  });
});
