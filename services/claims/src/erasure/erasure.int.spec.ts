// ClientErased (consumer claims.erasure): the erased client's claims lose what he said (the
// description, the place, the photos, the texts of activities and status reasons) and keep
// what the insurer must keep (number, dates, type, amounts, statuses, the CCI); another
// client's claims are untouched. Real PostgreSQL, in-process transport.
import { perFile } from '@crm/testing';
import { randomUUID } from 'node:crypto';
import { newEvent } from '@crm/events';
import { declaration, OPEN_CLAIM, startClaims } from '../../test/harness';
import { ERASURE_CONSUMER } from './erasure.consumer';

const h = perFile(() => startClaims('claims_erasure'));

const CHANGE_STATUS = `mutation($input: ChangeClaimStatusInput!) { changeClaimStatus(input: $input) { id } }`;
const RECORD_ACTIVITY = `mutation($input: RecordClaimActivityInput!) { recordClaimActivity(input: $input) { id } }`;
const UPDATE_CLAIM = `mutation($input: UpdateClaimInput!) { updateClaim(input: $input) { id } }`;

/** identity's ClientErased, delivered and applied */
async function erase(clientId: string) {
  const erasure = newEvent(
    'ClientErased',
    { clientId, contractIds: [], erasedAt: '2026-03-01T09:00:00.000Z', reason: 'GDPR_REQUEST' },
    { source: 'identity', subject: clientId, actor: { kind: 'advisor', id: randomUUID() } },
  );
  await h.send(erasure);
  await h.processed(ERASURE_CONSUMER, erasure.id);
  return erasure;
}

describe('ClientErased (consumer claims.erasure)', () => {
  it("empties what the erased client's claims say about him, keeps the insurer's record, and only his", async () => {
    const [erased, kept] = [randomUUID(), randomUUID()];
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const said = {
      description: `Ma portière rayée par ${canary}`,
      location: `12 rue ${canary}, Lyon`,
      photoUrls: [`https://photos.example.fr/${canary}.jpg`],
    };
    const his = await h.open({ clientId: erased, ...said });
    const theirs = await h.open({ clientId: kept, ...said });
    for (const id of [his.id, theirs.id]) {
      const moved = await h.gql(CHANGE_STATUS, {
        input: { id, status: 'AWAITING_CLIENT', reason: `appelé ${canary}` },
      });
      expect(moved.errors).toBeUndefined();
      const recorded = await h.gql(RECORD_ACTIVITY, {
        input: { claimId: id, kind: 'LETTER_SENT', detail: `courrier à ${canary}` },
      });
      expect(recorded.errors).toBeUndefined();
    }
    const stored = (id: string) =>
      h.sql<Record<string, unknown>>(`select * from sinistres where id = $1`, [id]).then((r) => r[0]!);
    /** the claim as the service reads it (its words are sealed at rest: issue 18) */
    const opened = async (id: string) => (await h.service.parts.claims.findByIds([id]))[0]!;
    const before = await stored(his.id);
    // sealed at rest, readable through the service
    expect(JSON.stringify(before)).not.toContain(canary);
    expect(JSON.stringify(await opened(his.id))).toContain(canary);

    const erasure = await erase(erased);

    const after = await stored(his.id);
    expect(JSON.stringify(after)).not.toContain(canary);
    expect(after).toMatchObject({
      description: null,
      lieu: null,
      photo_urls: null,
      // the insurer's record stays
      numero_sinistre: before.numero_sinistre,
      status_dossier: before.status_dossier,
      estimation_dommage: before.estimation_dommage,
      cci_score: before.cci_score,
      date_sinistre: before.date_sinistre,
      nom_tiers: before.nom_tiers,
    });
    expect(
      (after.historique_statut as { reason: unknown; to: string }[]).map((c) => [c.to, c.reason]),
    ).toEqual((before.historique_statut as { to: string }[]).map((c) => [c.to, null]));
    // his row as stored before (as a backup holds it) no longer opens: his claim's key is
    // shredded; the third party's is not (the insurer's recourse), his name still reads
    const [fromBackup] = await h.service.parts.claims.cipher.openClaims([
      Object.assign(structuredClone((await h.service.parts.claims.findByIds([his.id]))[0]!), {
        description: before.description,
        location: before.lieu,
        thirdPartyName: before.nom_tiers,
        thirdPartyContact: before.contact_tiers,
        photoUrls: before.photo_urls,
        statusHistory: before.historique_statut,
      }),
    ]);
    expect(fromBackup).toMatchObject({
      description: null,
      location: null,
      photoUrls: null,
      thirdPartyName: 'M. Martin',
    });
    expect(fromBackup!.statusHistory.map((c) => c.reason)).toEqual(
      (before.historique_statut as unknown[]).map(() => null),
    );
    expect((await opened(his.id)).thirdPartyName).toBe('M. Martin');
    // the recorded activity keeps its kind and date, not its text
    const activities = (id: string) =>
      h.sql<{ type_activite: string; detail: string | null; date_activite: Date }>(
        `select type_activite, detail, date_activite from activites_sinistre where sinistre_id = $1`,
        [id],
      );
    expect((await activities(his.id)).map((a) => [a.type_activite, a.detail])).toEqual([
      ['LETTER_SENT', null],
    ]);
    expect((await activities(theirs.id)).map((a) => a.detail?.slice(0, 4))).toEqual(['pd1:']);
    expect((await h.service.parts.claims.recordedActivities([theirs.id], 10)).map((a) => a.detail)).toEqual([
      `courrier à ${canary}`,
    ]);
    // its proof for identity, committed with the erasure: one claim emptied
    const proofs = (await h.outbox()).filter((e) => e.event_type === 'ClaimsErased');
    expect(proofs.map((e) => [e.message_key, e.payload])).toEqual([
      [
        erased,
        expect.objectContaining({ data: expect.objectContaining({ erasureEventId: erasure.id, items: 1 }) }),
      ],
    ]);
    // the other client's claim says what it said
    expect(JSON.stringify(await opened(theirs.id))).toContain(canary);
  });

  it('opens no new claim for him afterwards, whoever asks; other clients are not concerned', async () => {
    const client = randomUUID();
    await erase(client);
    const refused = await h.gql(OPEN_CLAIM, { input: declaration({ clientId: client }) });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CLAIM.CLIENT_ERASED');
    expect(await h.sql(`select 1 from sinistres where client_id = $1`, [client])).toEqual([]);
    // a client erased without any claim is known all the same
    expect(await h.sql(`select 1 from clients_effaces where client_id = $1`, [client])).toHaveLength(1);
    const other = await h.gql(OPEN_CLAIM, { input: declaration({ clientId: randomUUID() }) });
    expect(other.errors).toBeUndefined();
  });

  it('takes no new words about him afterwards, and the claim still moves', async () => {
    const client = randomUUID();
    const claim = await h.open({ clientId: client, description: 'choc arrière' });
    await erase(client);
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const refused = [
      await h.gql(UPDATE_CLAIM, { input: { id: claim.id, description: `rayé par ${canary}` } }),
      await h.gql(UPDATE_CLAIM, {
        input: { id: claim.id, photoUrls: [`https://p.example.fr/${canary}.jpg`] },
      }),
      await h.gql(CHANGE_STATUS, {
        input: { id: claim.id, status: 'AWAITING_CLIENT', reason: `appelé ${canary}` },
      }),
      await h.gql(RECORD_ACTIVITY, { input: { claimId: claim.id, kind: 'LETTER_SENT', detail: canary } }),
    ];
    expect(refused.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(Array(4).fill('CLAIM.CLIENT_ERASED'));
    // the insurer's handling goes on, without words
    const moved = await h.gql(CHANGE_STATUS, { input: { id: claim.id, status: 'AWAITING_CLIENT' } });
    expect(moved.errors).toBeUndefined();
    const estimated = await h.gql(UPDATE_CLAIM, { input: { id: claim.id, estimatedDamage: '850.00' } });
    expect(estimated.errors).toBeUndefined();
    const recorded = await h.gql(RECORD_ACTIVITY, { input: { claimId: claim.id, kind: 'LETTER_SENT' } });
    expect(recorded.errors).toBeUndefined();
    const [row] = await h.sql<Record<string, unknown>>(`select * from sinistres where id = $1`, [claim.id]);
    expect(row).toMatchObject({ status_dossier: 'en_attente_client', estimation_dommage: '850.00' });
    expect(row!.client_efface_le).toBeInstanceOf(Date);
    expect(JSON.stringify(row)).not.toContain(canary);
  });
});
