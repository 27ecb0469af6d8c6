// Issue 18 on the real PostgreSQL: the clients table holds no clear personal data, erasure
// shreds the client's key so the row can no longer be decrypted, lookups go through blind
// indexes, and the EncryptClients migration encrypts an existing database in place.
import { createDataSource } from '@crm/db';
import {
  CiphertextError,
  devMasterKeyRing,
  LocalKeyWrapper,
  newMasterKeyEntry,
  parseMasterKeyRing,
  PersonalDataVault,
  PgKeyStore,
  type KeyWrapper,
} from '@crm/privacy';
import { perFile, createTestDatabase } from '@crm/testing';
import { identityMigrations } from '../db/migrations/1763800000000-CreateIdentitySchema';
import { ContractEntity } from '../contract/contract.entity';
import { LeadRecord } from '../lead/lead.entity';
import {
  ERASE_CLIENT,
  REGISTER_CLIENT,
  startIdentity,
  storedClient,
  SUPERVISOR,
  type Harness,
} from '../../test/harness';
import { ClientRecord } from './client.entity';
import { ClientRepository, ENCRYPTED_CLIENT_COLUMNS } from './client.repository';
import { erasedMatricule } from './client.rules';

const COLUMNS = Object.values(ENCRYPTED_CLIENT_COLUMNS);
// canaries: values that appear nowhere else, searched for in every spelling the input allows
const CANARY = {
  matricule: 'QW-907-ZX',
  lastName: 'Canarynom',
  firstName: 'Canaryprenom',
  email: 'canary.mail907@example.fr',
  phone: '06 07 09 08 07',
  address: '7 rue Canaryrue',
  birthDate: '1961-07-09',
};
const SEARCHED = [
  'QW-907-ZX',
  'QW907ZX',
  'canarynom',
  'canaryprenom',
  'canary.mail907',
  '607090807',
  '06 07 09 08 07',
  'canaryrue',
  '1961-07-09',
];

/** every row of a table as text, lower-cased (what a dump of it would show) */
async function tableText(h: Harness, table: string): Promise<string> {
  const [row] = await h.sql<{ text: string | null }>(
    `select string_agg(row_to_json(t)::text, E'\\n') as text from ${table} t`,
  );
  return (row?.text ?? '').toLowerCase();
}

const h = perFile(() => startIdentity('privacy'));

describe('clients at rest', () => {
  it('hold no clear text of a canary client, who still reads back whole through the graph', async () => {
    const res = await h.gql(REGISTER_CLIENT, {
      input: { ...CANARY, civility: 'Mme', postalCode: '69007', city: 'Lyon' },
    });
    expect(res.errors).toBeUndefined();
    const client = res.data!.registerClient;
    expect(client).toMatchObject({
      lastName: 'Canarynom',
      email: 'canary.mail907@example.fr',
      phone: '+33607090807',
    });

    for (const table of ['clients', 'privacy_keys']) {
      const text = await tableText(h, table);
      expect(text.length).toBeGreaterThan(0);
      for (const canary of SEARCHED) expect(text).not.toContain(canary.toLowerCase());
    }
    // every personal column of the row is a ciphertext (city and postal code included)
    const [raw] = await h.sql<Record<string, string | null>>(
      `select ${COLUMNS.join(', ')} from clients where id = $1`,
      [client.id],
    );
    for (const column of COLUMNS) expect(raw![column]).toMatch(/^pd1:[A-Za-z0-9_-]+$/);
    // the database itself refuses clear text in a live row
    await expect(h.sql(`update clients set nom = 'Canarynom' where id = $1`, [client.id])).rejects.toThrow(
      'clients_personal_encrypted_check',
    );
    // one ciphertext moved onto another column does not decrypt (the field is bound to it)
    const reader = await h.service.parts.vault.reader([client.id]);
    expect(() => reader.decrypt(client.id, 'clients.prenom', raw!.nom!)).toThrow(CiphertextError);

    const byMatricule = await h.service.parts.clients.findByMatricule('qw 907 zx');
    expect(byMatricule?.id).toBe(client.id);
    const repository = new ClientRepository(h.service.runtime.dataSource.manager, h.service.parts.vault);
    expect((await repository.findByEmail('canary.mail907@example.fr')).map((c) => c.id)).toEqual([client.id]);
    expect(await repository.findByEmail('someone.else@example.fr')).toEqual([]);
  });
});

describe('erasure', () => {
  it('shreds the client key: the row keeps only ciphertexts no one can decrypt, and the matricule is free again', async () => {
    const res = await h.gql(REGISTER_CLIENT, {
      input: {
        matricule: 'ER-451-AS',
        lastName: 'Effacable',
        firstName: 'Jeanne',
        email: 'jeanne.e@example.fr',
        phone: '0611223344',
      },
    });
    const id = res.data!.registerClient.id;
    const [before] = await h.sql<Record<string, string | null>>(
      `select ${COLUMNS.join(', ')} from clients where id = $1`,
      [id],
    );

    const erased = await h.gql(ERASE_CLIENT, { id }, SUPERVISOR);
    expect(erased.errors).toBeUndefined();

    // the ciphertexts are still there (as in any backup or copy taken before), unreadable
    const [after] = await h.sql<Record<string, string | null>>(
      `select ${COLUMNS.join(', ')}, matricule_bidx, email_bidx from clients where id = $1`,
      [id],
    );
    for (const column of COLUMNS) expect(after![column]).toBe(before![column]);
    expect(after).toMatchObject({ matricule_bidx: null, email_bidx: null });
    // a fresh process over the same database and master key: nothing cached, nothing to unwrap
    const fresh = new PersonalDataVault({
      store: new PgKeyStore(h.service.runtime.dataSource),
      // the development ring the harness runs with (no PRIVACY_MASTER_KEY in tests)
      wrapper: new LocalKeyWrapper(devMasterKeyRing()),
    });
    const reader = await fresh.reader([id]);
    for (const column of COLUMNS)
      if (before![column] !== null)
        expect(reader.decrypt(id, `clients.${column}`, before![column]!)).toEqual({ erased: true });
    expect(await storedClient(h, id, ['nom', 'email', 'telephone', 'statut'])).toEqual({
      nom: '[erased]',
      email: '[erased]',
      telephone: '[erased]',
      statut: 'supprimé',
    });
    const [key] = await h.sql<{ wrapped_key: Buffer | null; shredded_at: Date | null }>(
      `select wrapped_key, shredded_at from privacy_keys where subject_id = $1`,
      [id],
    );
    expect(key!.wrapped_key).toBeNull();
    expect(key!.shredded_at).toBeInstanceOf(Date);
    // no new key is ever made for the erased person
    await expect(h.service.parts.vault.writer(id)).rejects.toThrow('shredded');

    const again = await h.gql(REGISTER_CLIENT, {
      input: { matricule: 'ER-451-AS', lastName: 'Autre', firstName: 'Personne' },
    });
    expect(again.errors).toBeUndefined();
    expect(again.data!.registerClient.id).not.toBe(id);
  });
});

describe('EncryptClients migration', () => {
  it('encrypts the rows of an existing database in place, which keeps working', async () => {
    const db = await createTestDatabase('identity_encrypt');
    const wrapper: KeyWrapper = new LocalKeyWrapper(parseMasterKeyRing(newMasterKeyEntry('m1')));
    const migrations = identityMigrations(wrapper);
    try {
      // the database as it was before issue 18: clear rows, one of them erased
      const old = createDataSource({
        url: db.url,
        applicationName: 'test',
        migrations: migrations.slice(0, 3),
      });
      await old.initialize();
      await old.runMigrations();
      await old.query(
        `insert into clients (id, matricule, civilite, nom, prenom, date_naissance, email, telephone,
                             adresse, code_postal, ville, statut)
         values ('11111111-1111-4111-8111-111111111111', 'MG-101-RA', 'M.', 'Ancien', 'Client', '1950-05-04',
                 'ancien.client@example.fr', '+33622334455', '3 quai Migration', '29200', 'Brest', 'actif'),
                ('22222222-2222-4222-8222-222222222222', 'ERASED-2222222222222', null, '[effacé]', '[effacé]', null,
                 null, null, null, null, null, 'supprimé')`,
      );
      await old.destroy();

      const ds = createDataSource({
        url: db.url,
        applicationName: 'test',
        migrations,
        entities: [ClientRecord, ContractEntity, LeadRecord],
      });
      await ds.initialize();
      try {
        await ds.runMigrations({ transaction: 'each' });
        const text = JSON.stringify(await ds.query(`select * from clients`)).toLowerCase();
        for (const clear of [
          'mg-101-ra',
          'ancien',
          'ancien.client',
          '622334455',
          'quai migration',
          '29200',
          'brest',
          '1950-05-04',
        ])
          expect(text).not.toContain(clear);

        const vault = new PersonalDataVault({ store: new PgKeyStore(ds), wrapper });
        const clients = new ClientRepository(ds.manager, vault);
        expect(await clients.findByMatricule('MG-101-RA')).toMatchObject({
          id: '11111111-1111-4111-8111-111111111111',
          lastName: 'Ancien',
          firstName: 'Client',
          birthDate: '1950-05-04',
          email: 'ancien.client@example.fr',
          phone: '+33622334455',
          address: '3 quai Migration',
          postalCode: '29200',
          city: 'Brest',
          civility: 'M.',
          status: 'ACTIVE',
        });
        expect((await clients.findByEmail('ancien.client@example.fr')).map((c) => c.id)).toEqual([
          '11111111-1111-4111-8111-111111111111',
        ]);
        const [erased] = await clients.findByIds(['22222222-2222-4222-8222-222222222222']);
        expect(erased).toMatchObject({
          status: 'ERASED',
          lastName: '[effacé]',
          matricule: erasedMatricule('22222222-2222-4222-8222-222222222222'),
        });
        await expect(vault.writer('22222222-2222-4222-8222-222222222222')).rejects.toThrow('shredded');
      } finally {
        await ds.destroy();
      }
    } finally {
      await db.drop();
    }
  });
});
