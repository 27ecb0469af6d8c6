// Issue 18: what reimbursements say in words is sealed at rest and in their events, and the
// client's erasure makes it unreadable. A canary typed by advisors (an override's reason, a
// rejection's reason) is nowhere in clear in any table of the service's database, its outbox
// included, reads back whole through the graph, and once ClientErased is consumed reads as null
// while the amounts and statuses stay; the proof ReimbursementsErased says how many. The
// EncryptReimbursements migration converts an existing database in place.
import { randomUUID } from 'node:crypto';
import { freshServicePrivacy, serviceVault } from '@crm/privacy';
import { perFile, migrateFrom, tablesText } from '@crm/testing';
import {
  BY_CLAIM,
  claimOpened,
  contractIssued,
  CREATE,
  CREATE_ASSESSED,
  startReimbursement,
  UPDATE,
  type Harness,
} from '../../test/harness';
import { KNOWN_CLAIMS_CONSUMER } from '../claim/claim.consumer';
import { KNOWN_CONTRACTS_CONSUMER } from '../contract/contract.consumer';
import { reimbursementService } from '../service';
import { ERASURE_CONSUMER } from './erasure.consumer';
import { ReimbursementCipher } from './reimbursement.cipher';
import { ReimbursementRepository } from './reimbursement.repository';

describe('reimbursements at rest', () => {
  const h = perFile(() => startReimbursement('reimb_privacy'));

  async function deliver(consumer: string, ...events: Parameters<Harness['send']>) {
    await h.send(...events);
    await h.processed(consumer, ...events.map((e) => e.id));
  }

  it('keeps no word in clear, reads them back, and after the erasure keeps the amounts only', async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const [clientId, contractId, activeContract] = [randomUUID(), randomUUID(), randomUUID()];
    const [terminatedClaim, openClaim] = [randomUUID(), randomUUID()];
    await deliver(
      KNOWN_CONTRACTS_CONSUMER,
      h.event('ContractIssued', contractIssued(contractId, clientId, { status: 'TERMINATED' }), contractId),
      h.event('ContractIssued', contractIssued(activeContract, clientId), activeContract),
    );
    await deliver(
      KNOWN_CLAIMS_CONSUMER,
      h.event('ClaimOpened', claimOpened(terminatedClaim, clientId, contractId), terminatedClaim),
      h.event('ClaimOpened', claimOpened(openClaim, clientId, activeContract), openClaim),
    );
    // an advisor's override of a contract that does not apply, and his rejection of another
    const overridden = await h.gql(CREATE_ASSESSED, {
      input: { claimId: terminatedClaim, amountClaimed: '500.00', overrideReason: `Geste pour ${canary}` },
    });
    expect(overridden.errors).toBeUndefined();
    const pending = await h.gql(CREATE, { input: { claimId: openClaim, amountClaimed: '300.00' } });
    expect(pending.data?.createReimbursement).toMatchObject({ status: 'PENDING' });
    const rejected = await h.gql(UPDATE, {
      input: {
        id: pending.data!.createReimbursement.id,
        status: 'REJECTED',
        rejectionReason: `Facture de ${canary} illisible`,
      },
    });
    expect(rejected.errors).toBeUndefined();

    const tables = await tablesText(h.sql);
    expect(tables.get('remboursements')).toMatch(/pd1:/);
    expect(
      [...tables].filter(([, text]) => text.includes(canary.toLowerCase())).map(([name]) => name),
    ).toEqual([]);
    // the event that carries the reason carries it sealed; opened, it is whole
    const [event] = await h.outbox('ReimbursementRejected');
    expect(event).toMatchObject({ data: { reason: `Facture de ${canary} illisible` } });

    const read = async (claimId: string) => {
      const r = await h.gql(BY_CLAIM, { claimId });
      expect(r.errors).toBeUndefined();
      return r.data!.reimbursementsByClaim;
    };
    expect(await read(terminatedClaim)).toMatchObject([
      { status: 'PENDING', amountClaimed: '500.00', override: { reason: `Geste pour ${canary}` } },
    ]);
    expect(await read(openClaim)).toMatchObject([
      { status: 'REJECTED', amountClaimed: '300.00', rejectionReason: `Facture de ${canary} illisible` },
    ]);
    // a write that forgets to seal is refused by the table itself
    await expect(
      h.sql(`update remboursements set motif_rejet = 'en clair' where sinistre_id = $1`, [openClaim]),
    ).rejects.toThrow(/remboursements_personal_encrypted_check/);

    const erasure = h.event(
      'ClientErased',
      {
        clientId,
        contractIds: [contractId, activeContract],
        erasedAt: '2026-03-01T10:00:00.000Z',
        reason: 'GDPR_REQUEST',
      },
      clientId,
    );
    await deliver(ERASURE_CONSUMER, erasure);
    expect(await read(terminatedClaim)).toMatchObject([
      { status: 'PENDING', amountClaimed: '500.00', override: { reason: null, actorKind: 'advisor' } },
    ]);
    expect(await read(openClaim)).toMatchObject([
      { status: 'REJECTED', amountClaimed: '300.00', rejectionReason: null },
    ]);
    const [proof] = (await h.outbox('ReimbursementsErased')).filter((e) => e.subject === clientId);
    expect(proof).toMatchObject({ data: { clientId, erasureEventId: erasure.id, items: 2 } });
    // nothing new can be said about him
    const late = await h.gql(CREATE_ASSESSED, {
      input: { claimId: terminatedClaim, amountClaimed: '100.00', overrideReason: `encore ${canary}` },
    });
    expect(late.errors?.[0]?.extensions.code).toBe('REIMBURSEMENT.CLIENT_ERASED');
  });
});

describe('EncryptReimbursements migration', () => {
  it('seals the reasons of an existing database in place, which keep reading', async () => {
    const privacy = freshServicePrivacy();
    const definition = reimbursementService(privacy);
    const [rejectedId, overriddenId, claimId] = [randomUUID(), randomUUID(), randomUUID()];
    const override = {
      reason: 'Geste commercial pour Ancien Client',
      actor: { kind: 'advisor', id: 'adv-1' },
      at: '2026-01-01T10:00:00.000Z',
      proposed: null,
      decided: { amountAccepted: '100.00', deductibleApplied: null },
    };
    await migrateFrom('reimb_encrypt', {
      of: definition,
      name: 'PrivacyKeys1767800000000',
      seed: async (old) => {
        await old.query(
          `insert into remboursements (id, sinistre_id, montant_reclame, motif_rejet, statut)
           values ($1, $2, 200, 'Refus pour Ancien Client', 'rejeté')`,
          [rejectedId, claimId],
        );
        await old.query(
          `insert into remboursements (id, sinistre_id, montant_reclame, statut, derogation)
           values ($1, $2, 100, 'en_attente', $3)`,
          [overriddenId, claimId, JSON.stringify(override)],
        );
      },
      check: async (ds) => {
        expect(JSON.stringify(await ds.query(`select * from remboursements`))).not.toMatch(/Ancien Client/);
        const repo = new ReimbursementRepository(
          ds.manager,
          new ReimbursementCipher(serviceVault(privacy, ds)),
        );
        const rows = await repo.findByIds([rejectedId, overriddenId]);
        expect(rows.find((r) => r.row.id === rejectedId)?.row.rejectionReason).toBe(
          'Refus pour Ancien Client',
        );
        expect(rows.find((r) => r.row.id === overriddenId)?.row.override).toEqual(override);
      },
    });
  });
});
