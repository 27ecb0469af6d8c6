// Issue 18: what claims say about people is sealed at rest. A canary written in every such field
// (the account, the place, the photos, the third party, a status reason, an activity's detail) is
// nowhere in clear in any table of the service's database, its outbox included (the events carry
// them sealed: docs/privacy.md, Events), reads back whole through the graph, and the tables
// refuse clear text.
// The EncryptClaims migration converts an existing database in place.
import { randomUUID } from 'node:crypto';
import { freshServicePrivacy, serviceVault } from '@crm/privacy';
import { perFile, migrateFrom, tablesText } from '@crm/testing';
import { startClaims } from '../../test/harness';
import { claimsService } from '../service';
import { ClaimRepository } from './claim.repository';

describe('claims at rest', () => {
  const h = perFile(() => startClaims('claims_privacy'));

  it('keeps no word about a person in clear, and reads every one back through the graph', async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const claim = await h.open({
      description: `Rayée devant chez ${canary}`,
      location: `3 rue ${canary}, Lyon`,
      thirdPartyName: `M. ${canary}`,
      thirdPartyContact: '06 98 76 54 32',
      photoUrls: [`https://photos.example.fr/${canary}.jpg`],
    });
    const moved = await h.gql(
      `mutation($input: ChangeClaimStatusInput!) { changeClaimStatus(input: $input) { id } }`,
      { input: { id: claim.id, status: 'AWAITING_CLIENT', reason: `rappeler ${canary}` } },
    );
    expect(moved.errors).toBeUndefined();
    const recorded = await h.gql(
      `mutation($input: RecordClaimActivityInput!) { recordClaimActivity(input: $input) { id } }`,
      { input: { claimId: claim.id, kind: 'LETTER_SENT', detail: `courrier à ${canary}` } },
    );
    expect(recorded.errors).toBeUndefined();

    const tables = await tablesText(h.sql);
    expect(tables.get('sinistres')).toMatch(/pd1:/);
    const holding = [...tables]
      .filter(([, text]) => text.includes(canary.toLowerCase()) || text.includes('98 76 54 32'))
      .map(([name]) => name);
    expect(holding).toEqual([]);

    const read = await h.gql<{
      claim: {
        description: string;
        location: string;
        thirdPartyName: string;
        thirdPartyContact: string;
        photoUrls: string[];
        statusHistory: { reason: string | null }[];
        activity: { detail: string | null }[];
      };
    }>(
      `query($id: ID!) { claim(id: $id) {
         description location thirdPartyName thirdPartyContact photoUrls
         statusHistory { reason } activity { detail } } }`,
      { id: claim.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.claim).toMatchObject({
      description: `Rayée devant chez ${canary}`,
      location: `3 rue ${canary}, Lyon`,
      thirdPartyName: `M. ${canary}`,
      thirdPartyContact: '06 98 76 54 32',
      photoUrls: [`https://photos.example.fr/${canary}.jpg`],
    });
    expect(read.data!.claim.statusHistory.map((s) => s.reason)).toContain(`rappeler ${canary}`);
    expect(read.data!.claim.activity.map((a) => a.detail)).toContain(`courrier à ${canary}`);
  });

  it('refuses clear words in the tables themselves', async () => {
    const claim = await h.open();
    await expect(
      h.sql(`update sinistres set description = 'en clair' where id = $1`, [claim.id]),
    ).rejects.toThrow(/sinistres_personal_encrypted_check/);
    await expect(
      h.sql(`update sinistres set photo_urls = '["https://p.example.fr/a.jpg"]' where id = $1`, [claim.id]),
    ).rejects.toThrow(/sinistres_personal_encrypted_check/);
    await expect(
      h.sql(`update actions_recommandees set motif_statut = 'en clair' where sinistre_id = $1`, [claim.id]),
    ).rejects.toThrow(/actions_recommandees_personal_encrypted_check/);
  });
});

describe('EncryptClaims migration', () => {
  it('seals the words of an existing database in place, which keep working', async () => {
    const privacy = freshServicePrivacy();
    const definition = claimsService({ privacy });
    const [claimId, erasedId] = [randomUUID(), randomUUID()];
    const history = [
      {
        from: 'NEW',
        to: 'AWAITING_CLIENT',
        reason: 'rappeler Ancienclient',
        actor: { kind: 'advisor', id: 'adv-1' },
        at: '2026-02-01T10:00:00Z',
      },
      {
        from: 'AWAITING_CLIENT',
        to: 'IN_PROGRESS',
        reason: null,
        actor: { kind: 'advisor', id: 'adv-1' },
        at: '2026-02-02T10:00:00Z',
      },
    ];
    await migrateFrom('claims_encrypt', {
      of: definition,
      name: 'PrivacyKeys1767700000000',
      seed: async (old) => {
        await old.query(
          `insert into sinistres (id, numero_sinistre, client_id, date_sinistre, description, lieu, nom_tiers,
                                    contact_tiers, photo_urls, historique_statut, status_dossier)
             values ($1, 'SIN-OLD-1', $3, '2026-01-31', 'choc Ancienclient', 'Parking Ancienclient', 'M. Ancientiers',
                     '+33611223344', '["https://p.example.fr/ancien.jpg"]', $4, 'en_cours'),
                    ($2, 'SIN-OLD-2', $3, '2026-01-30', null, null, null, null, null, '[]', 'nouveau')`,
          [claimId, erasedId, randomUUID(), JSON.stringify(history)],
        );
        await old.query(
          `insert into activites_sinistre (sinistre_id, type_activite, detail, date_activite, acteur_type, acteur_id, date_enregistrement)
             values ($1, 'LETTER_SENT', 'lettre à Ancienclient', '2026-02-01 11:00', 'advisor', 'adv-1', '2026-02-01 11:00')`,
          [claimId],
        );
        await old.query(
          `insert into actions_recommandees (sinistre_id, type_action, description, statut, motif_statut)
             values ($1, 'info_client', 'Demander les photos', 'faite', 'reçues de Ancienclient')`,
          [claimId],
        );
      },
      check: async (ds) => {
        const text = JSON.stringify([
          await ds.query(`select * from sinistres`),
          await ds.query(`select * from activites_sinistre`),
          await ds.query(`select * from actions_recommandees`),
        ]).toLowerCase();
        for (const clear of ['ancienclient', 'ancientiers', '611223344', 'ancien.jpg'])
          expect(text).not.toContain(clear);

        const repo = new ClaimRepository(ds.manager, serviceVault(privacy, ds));
        const [claim, untouched] = await repo
          .findByIds([claimId, erasedId])
          .then((rows) => [claimId, erasedId].map((id) => rows.find((r) => r.id === id)!));
        expect(claim).toMatchObject({
          description: 'choc Ancienclient',
          location: 'Parking Ancienclient',
          thirdPartyName: 'M. Ancientiers',
          thirdPartyContact: '+33611223344',
          photoUrls: ['https://p.example.fr/ancien.jpg'],
        });
        expect(claim!.statusHistory).toEqual(history);
        expect(untouched).toMatchObject({ description: null, photoUrls: null, statusHistory: [] });
        expect((await repo.recordedActivities([claimId], 10)).map((a) => a.detail)).toEqual([
          'lettre à Ancienclient',
        ]);
        expect((await repo.actionsByClaims([claimId])).map((a) => a.statusReason)).toEqual([
          'reçues de Ancienclient',
        ]);
      },
    });
  });
});
