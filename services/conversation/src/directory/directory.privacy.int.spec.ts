// Issue 18: the EncryptDirectory migration converts an existing conversation database in place:
// the directory's clients become ciphertexts under keys this service keeps, and the matricule
// keys (the directory's and the failed authentications') become their blind indexes, so the
// bot still finds the client and still counts the failures recorded before.
import { freshServicePrivacy, serviceVault } from '@crm/privacy';
import { migrateFrom } from '@crm/testing';
import { conversationService } from '../service';
import { DirectoryRepository } from './directory.repository';

it('encrypts the directory of an existing database in place, which keeps working', async () => {
  const privacy = freshServicePrivacy();
  const definition = conversationService(undefined, undefined, undefined, undefined, privacy);
  const clientId = '33333333-3333-4333-8333-333333333333';
  await migrateFrom('conversation_encrypt', {
    of: definition,
    name: 'EncryptDirectory1767500001000',
    // the database as it was before: a clear client, a failure counted for his matricule
    seed: async (old) => {
      await old.query(
        `INSERT INTO directory_clients
             (client_id, matricule, matricule_key, civility, last_name, first_name, status, phone, last_event_at)
           VALUES ($1, 'MG-202-RA', 'MG202RA', 'M.', 'Ancienclient', 'Migre', 'actif', '+33677889900', now())`,
        [clientId],
      );
      await old.query(
        `INSERT INTO auth_matricule_failures (matricule_key, failures, lockouts) VALUES ('MG202RA', 3, 1)`,
      );
    },
    check: async (ds) => {
      const dump = JSON.stringify([
        await ds.query(`SELECT * FROM directory_clients`),
        await ds.query(`SELECT * FROM auth_matricule_failures`),
      ]).toLowerCase();
      for (const clear of ['mg-202-ra', 'mg202ra', 'ancienclient', 'migre', '677889900'])
        expect(dump).not.toContain(clear);

      const directory = new DirectoryRepository(ds.manager, serviceVault(privacy, ds));
      expect(await directory.findByMatricule('mg 202 ra')).toMatchObject({
        clientId,
        matricule: 'MG-202-RA',
        civility: 'M.',
        lastName: 'Ancienclient',
        firstName: 'Migre',
      });
      expect(await directory.phoneOf(clientId)).toBe('+33677889900');
      // the failures recorded before are found under the matricule's index
      const index = await directory.matriculeIndex('MG202RA');
      expect(
        await ds.query(`SELECT failures, lockouts FROM auth_matricule_failures WHERE matricule_key = $1`, [
          index,
        ]),
      ).toEqual([{ failures: 3, lockouts: 1 }]);
    },
  });
});
