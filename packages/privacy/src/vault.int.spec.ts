// The vault against real PostgreSQL, inside the callers' transactions: a key is made on the
// transaction's own connection (a pool whose every connection is held by a transaction waiting
// for a key does not deadlock), and a key a transaction made is never cached before it commits
// (a rolled-back key would otherwise encrypt data that nothing could ever decrypt).
import { openDatabase } from '@crm/db';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { DataSource } from 'typeorm';
import {
  devMasterKeyRing,
  LocalKeyWrapper,
  PersonalDataVault,
  PgKeyStore,
  PrivacyKeysMigration,
  PRIVACY_KEYS_TABLE,
} from './index';

class PrivacyKeys1700000000000 extends PrivacyKeysMigration {
  name = 'PrivacyKeys1700000000000';
}

const SUBJECT = '7d1e0c4a-5b2f-4e3d-9c8b-1a2b3c4d5e6f';
const FIELD = 'probe.value';

describe('PersonalDataVault in transactions (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const vaultOf = (cacheSize = 100) =>
    new PersonalDataVault({
      store: new PgKeyStore(ds),
      wrapper: new LocalKeyWrapper(devMasterKeyRing()),
      cacheSize,
    });
  const keyRows = async (subject: string) =>
    ds.query<unknown[]>(`select subject_id from ${PRIVACY_KEYS_TABLE} where subject_id = $1`, [subject]);

  beforeAll(async () => {
    db = await createTestDatabase('privacy_vault');
    // one connection: a key asked for on another would wait for the transaction holding it
    ds = await openDatabase({
      url: db.url,
      applicationName: 'privacy-vault-test',
      migrations: [PrivacyKeys1700000000000],
      poolSize: 1,
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('makes a key on the transaction’s connection, usable at once, readable once committed', async () => {
    const vault = vaultOf();
    const sealed = await ds.transaction(async (tx) => {
      const writer = await vault.writer(SUBJECT, tx);
      // the same transaction reads it back (its own, uncommitted row)
      const text = writer.encrypt(FIELD, 'Dupont');
      const reader = await vault.reader([SUBJECT], tx);
      expect(reader.decrypt(SUBJECT, FIELD, text)).toEqual({ erased: false, value: 'Dupont' });
      return text;
    });
    expect(await keyRows(SUBJECT)).toHaveLength(1);
    // a vault with no cache (another replica) opens it from the table
    const reader = await vaultOf(0).reader([SUBJECT]);
    expect(reader.decrypt(SUBJECT, FIELD, sealed)).toEqual({ erased: false, value: 'Dupont' });
  }, 15_000);

  it('does not keep the key of a transaction that rolled back: the next write makes a stored one', async () => {
    const vault = vaultOf();
    const subject = '8e2f1d5b-6c3a-4f4e-8d9c-2b3c4d5e6f70';
    await expect(
      ds.transaction(async (tx) => {
        await vault.writer(subject, tx);
        // read in the transaction too: still not cached
        await vault.reader([subject], tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await keyRows(subject)).toEqual([]);
    // the vault did not cache the lost key: it reads the subject as having none...
    expect((await vault.reader([subject])).decrypt(subject, FIELD, 'pd1:AAAA')).toEqual({ erased: true });
    // ...and the next write makes a key that is stored, and opens what it sealed
    const text = (await vault.writer(subject)).encrypt(FIELD, 'Martin');
    expect(await keyRows(subject)).toHaveLength(1);
    expect((await vaultOf(0).reader([subject])).decrypt(subject, FIELD, text)).toEqual({
      erased: false,
      value: 'Martin',
    });
  }, 15_000);

  it('does not keep the key of a savepoint that rolled back, though its transaction commits', async () => {
    const vault = vaultOf();
    const subject = '9f302e6c-7d4b-4a5f-9e0d-3c4d5e6f7081';
    await ds.transaction(async (tx) => {
      // the transaction has done something of its own first (its xid is older than the savepoint's)
      await vault.writer(SUBJECT, tx);
      await tx.query('savepoint probe');
      await vault.writer(subject, tx);
      await vault.reader([subject], tx);
      await tx.query('rollback to savepoint probe');
    });
    expect(await keyRows(subject)).toEqual([]);
    expect((await vault.reader([subject])).decrypt(subject, FIELD, 'pd1:AAAA')).toEqual({ erased: true });
    const text = (await vault.writer(subject)).encrypt(FIELD, 'Bernard');
    expect((await vaultOf(0).reader([subject])).decrypt(subject, FIELD, text)).toEqual({
      erased: false,
      value: 'Bernard',
    });
  }, 15_000);
});

describe('the blind-index key, first made inside a transaction (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('privacy_index_key');
    ds = await openDatabase({
      url: db.url,
      applicationName: 'privacy-index-test',
      migrations: [PrivacyKeys1700000000000],
      poolSize: 3,
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('a lookup outside the transaction waits for it, and the transaction is not made to wait for that lookup', async () => {
    // what a partner message's transaction and a GraphQL lookup did on a fresh database: the
    // transaction made the index key (uncommitted), a lookup on another connection queued behind
    // its row, and the transaction's next blind index waited for that lookup: neither finished
    const vault = new PersonalDataVault({
      store: new PgKeyStore(ds),
      wrapper: new LocalKeyWrapper(devMasterKeyRing()),
    });
    let outside: Promise<string> | undefined;
    const inside = await ds.transaction(async (tx) => {
      const first = await vault.blindIndex('email', 'canari@example.fr', tx);
      outside = vault.blindIndex('email', 'canari@example.fr');
      // the outside lookup is now waiting on this transaction's key row
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = await Promise.race([
        vault.blindIndex('matricule', 'AB-123-CD', tx),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the transaction waited for the lookup outside it')), 5_000),
        ),
      ]);
      return { first, second };
    });
    expect(await outside).toBe(inside.first);
    // the committed key is the one both used, and a fresh vault reads the same
    const fresh = new PersonalDataVault({
      store: new PgKeyStore(ds),
      wrapper: new LocalKeyWrapper(devMasterKeyRing()),
    });
    expect(await fresh.blindIndex('matricule', 'ab-123-cd')).toBe(inside.second);
    expect(await fresh.blindIndex('email', 'canari@example.fr')).toBe(inside.first);
  }, 20_000);

  it('prepare() reads the key before any transaction, which then needs no second connection for it', async () => {
    // one connection, held by the transaction: a key read outside it would wait for the pool
    const single = await openDatabase({
      url: db.url,
      applicationName: 'privacy-index-prepare',
      poolSize: 1,
    });
    try {
      const vaultOn = () =>
        new PersonalDataVault({
          store: new PgKeyStore(single),
          wrapper: new LocalKeyWrapper(devMasterKeyRing()),
        });
      const lookupInTransaction = (vault: PersonalDataVault) =>
        single.transaction(() =>
          Promise.race([
            vault.blindIndex('email', 'canari@example.fr'),
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error('waited for a second connection')), 2_000),
            ),
          ]),
        );
      await expect(lookupInTransaction(vaultOn())).rejects.toThrow('waited for a second connection');
      const prepared = vaultOn();
      await prepared.prepare();
      expect(await lookupInTransaction(prepared)).toBe(
        await new PersonalDataVault({
          store: new PgKeyStore(ds),
          wrapper: new LocalKeyWrapper(devMasterKeyRing()),
        }).blindIndex('email', 'canari@example.fr'),
      );
    } finally {
      await single.destroy();
    }
  }, 20_000);
});
