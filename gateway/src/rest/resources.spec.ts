import {
  CLIENT_BODY,
  CLIENT_UPDATE_BODY,
  NewSinistre,
  REMBOURSEMENT_BODY,
  SINISTRE_BODY,
  Sinistre,
  seedFieldOf,
  toGraphInput,
  toRemboursement,
  toSinistre,
} from './resources';

const claim = {
  id: '6f1b8a52-3c1e-4b7a-9d2e-1a2b3c4d5e6f',
  claimNumber: 'SIN-2026-000123',
  client: { id: '0b4a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' },
  contract: null,
  occurredAt: '2026-02-02T14:30:00.000Z',
  type: 'DAMAGE',
  description: null,
  location: 'Lyon',
  thirdPartyInvolved: true,
  thirdPartyName: null,
  thirdPartyContact: null,
  thirdPartyResponsible: null,
  amicableReport: true,
  amicableReportNumber: null,
  policeReport: null,
  policeReportNumber: null,
  estimatedDamage: '1850.50',
  estimatedOn: '2026-02-03',
  photoUrls: [],
  cciScore: 45,
  status: 'IN_PROGRESS',
  handling: 'AUTONOMOUS',
  assignedAdvisor: null,
  createdAt: '2026-02-02T15:00:00.000Z',
  updatedAt: '2026-02-02T15:00:00.000Z',
  closedAt: null,
};

describe('the seed’s representations', () => {
  it('maps a claim to the sinistres columns, French values, euros as numbers', () => {
    const s = toSinistre(claim);
    expect(s).toMatchObject({
      numero_sinistre: 'SIN-2026-000123',
      type_sinistre: 'dégâts',
      status_dossier: 'en_cours',
      type_traitement: 'autonome',
      estimation_dommage: 1850.5,
      contrat_id: null,
      conseiller_affecte_id: null,
    });
    expect(Sinistre.safeParse(s).success).toBe(true);
  });

  it('maps a body to the graph input: renamed, French values to enums, euros to Decimal strings', () => {
    const body = NewSinistre.parse({
      client_id: claim.client.id,
      contrat_id: claim.id,
      date_sinistre: '2026-02-02T14:30:00Z',
      type_sinistre: 'vol',
      estimation_dommage: 1200,
      blessures: true,
    });
    expect(toGraphInput(body, SINISTRE_BODY)).toEqual({
      clientId: claim.client.id,
      contractId: claim.id,
      occurredAt: '2026-02-02T14:30:00Z',
      type: 'THEFT',
      estimatedDamage: '1200.00',
      injuries: true,
    });
    expect(
      toGraphInput(
        { statut: 'accepté', montant_accepte: 99.9, moyen_paiement: 'chèque' },
        REMBOURSEMENT_BODY,
      ),
    ).toEqual({
      status: 'ACCEPTED',
      amountAccepted: '99.90',
      paymentMethod: 'CHEQUE',
    });
    // read-only fields are dropped, null clears
    expect(
      toGraphInput({ id: 'x', matricule: 'AB-123-CD', ville: null, statut: 'inactif' }, CLIENT_UPDATE_BODY),
    ).toEqual({
      city: null,
      status: 'INACTIVE',
    });
  });

  it('names a graph problem’s field with the seed’s name', () => {
    expect(seedFieldOf('lastName', CLIENT_BODY)).toBe('nom');
    expect(seedFieldOf('input.phone', CLIENT_BODY)).toBe('telephone');
    expect(seedFieldOf('photoUrls.2', SINISTRE_BODY)).toBe('photo_urls.2');
    expect(seedFieldOf('somethingElse', CLIENT_BODY)).toBe('somethingElse');
  });

  it('maps a reimbursement', () => {
    expect(
      toRemboursement({
        id: claim.id,
        claim: { id: claim.client.id },
        amountClaimed: '100.00',
        amountAccepted: null,
        deductibleApplied: null,
        rejectionReason: null,
        acceptedAt: null,
        paidAt: null,
        paymentMethod: 'BANK_TRANSFER',
        status: 'PAID',
        createdAt: claim.createdAt,
        updatedAt: claim.updatedAt,
      }),
    ).toMatchObject({
      sinistre_id: claim.client.id,
      montant_reclame: 100,
      moyen_paiement: 'virement',
      statut: 'payé',
      date_modification: claim.updatedAt,
    });
  });
});
