// docs/reimbursement.md's table of cases, one test per row (assessment.rules.ts).
import {
  applyProposal,
  assessClaim,
  coverageKey,
  proposalFor,
  type Assessment,
  type ClaimTerms,
  type ContractTerms,
} from './assessment.rules';

const CLIENT = '11111111-1111-4111-8111-111111111111';
const CONTRACT = '22222222-2222-4222-8222-222222222222';

const contract = (over: Partial<ContractTerms> = {}): ContractTerms => ({
  contractId: CONTRACT,
  clientId: CLIENT,
  status: 'ACTIVE',
  subscribedOn: '2025-01-01',
  expiresOn: '2026-12-31',
  coverages: [],
  thirdPartyDeductible: '150.00',
  collisionDeductible: '300.00',
  propertyDamageCover: false,
  thirdPartyCover: false,
  civilLiabilityCover: false,
  ...over,
});
const claim = (over: Partial<ClaimTerms> = {}): ClaimTerms => ({
  claimId: '33333333-3333-4333-8333-333333333333',
  clientId: CLIENT,
  contractId: CONTRACT,
  claimType: 'COLLISION',
  occurredOn: '2026-02-02',
  thirdPartyInvolved: true,
  thirdPartyResponsible: true,
  ...over,
});

describe('assessClaim: the table of cases, first row that applies', () => {
  it('1. claim unknown here -> UNKNOWN CLAIM_UNKNOWN', () => {
    expect(assessClaim(null, contract())).toMatchObject({ outcome: 'UNKNOWN', code: 'CLAIM_UNKNOWN' });
  });
  it('2. claim without a contract -> NOT_COVERED NO_CONTRACT', () => {
    expect(assessClaim(claim({ contractId: null }), null)).toMatchObject({
      outcome: 'NOT_COVERED',
      code: 'NO_CONTRACT',
      reason: expect.stringContaining('Aucun contrat'),
    });
  });
  it('3. contract not known yet -> UNKNOWN CONTRACT_UNKNOWN', () => {
    expect(assessClaim(claim(), null)).toMatchObject({ outcome: 'UNKNOWN', code: 'CONTRACT_UNKNOWN' });
  });
  it("4. another client's contract -> NOT_COVERED CONTRACT_OF_ANOTHER_CLIENT", () => {
    const other = contract({ clientId: '44444444-4444-4444-8444-444444444444', propertyDamageCover: true });
    expect(assessClaim(claim(), other)).toMatchObject({ code: 'CONTRACT_OF_ANOTHER_CLIENT' });
  });
  it('5. suspended contract -> NOT_COVERED CONTRACT_SUSPENDED, whatever it covers', () => {
    expect(
      assessClaim(
        claim(),
        contract({ status: 'SUSPENDED', propertyDamageCover: true, coverages: ['tous risques'] }),
      ),
    ).toEqual({
      outcome: 'NOT_COVERED',
      code: 'CONTRACT_SUSPENDED',
      reason: 'Contrat suspendu : aucune garantie ne s’applique',
    });
  });
  it('6. terminated contract -> NOT_COVERED CONTRACT_TERMINATED', () => {
    expect(assessClaim(claim(), contract({ status: 'TERMINATED', propertyDamageCover: true }))).toMatchObject(
      {
        code: 'CONTRACT_TERMINATED',
      },
    );
  });
  it('7. claim without type or day -> UNKNOWN CLAIM_TYPE_UNKNOWN', () => {
    expect(assessClaim(claim({ claimType: null }), contract())).toMatchObject({ code: 'CLAIM_TYPE_UNKNOWN' });
    expect(assessClaim(claim({ occurredOn: null }), contract())).toMatchObject({
      code: 'CLAIM_TYPE_UNKNOWN',
    });
  });
  it('8. claim dated before the subscription or after the expiry -> CONTRACT_NOT_IN_FORCE; the bounds are in force', () => {
    const c = contract({ propertyDamageCover: true });
    expect(assessClaim(claim({ occurredOn: '2024-12-31' }), c)).toMatchObject({
      code: 'CONTRACT_NOT_IN_FORCE',
      reason: 'Contrat non en vigueur le 31/12/2024 (du 01/01/2025 au 31/12/2026)',
    });
    expect(assessClaim(claim({ occurredOn: '2027-01-01' }), c)).toMatchObject({
      code: 'CONTRACT_NOT_IN_FORCE',
    });
    expect(assessClaim(claim({ occurredOn: '2025-01-01' }), c).outcome).toBe('COVERED');
    expect(assessClaim(claim({ occurredOn: '2026-12-31' }), c).outcome).toBe('COVERED');
    expect(
      assessClaim(
        claim({ occurredOn: '2040-01-01' }),
        contract({ expiresOn: null, propertyDamageCover: true }),
      ).outcome,
    ).toBe('COVERED');
  });
  it('9. nothing covers the type -> NOT_COVERED NO_COVERAGE with the type in French', () => {
    expect(assessClaim(claim({ claimType: 'THEFT' }), contract({ coverages: ['incendie'] }))).toEqual({
      outcome: 'NOT_COVERED',
      code: 'NO_COVERAGE',
      reason: 'Aucune garantie du contrat ne couvre un sinistre de type vol',
    });
  });
});

describe('which coverage covers which type', () => {
  const covered = (c: Partial<ClaimTerms>, k: Partial<ContractTerms>) => {
    const a = assessClaim(claim(c), contract(k));
    return a.outcome === 'COVERED' ? a.coverage : a.outcome;
  };
  it('COLLISION: couverture_dommage_materiel, garanties collision, couverture_tiers only with a responsible third party', () => {
    expect(covered({}, { propertyDamageCover: true })).toBe('couverture_dommage_materiel');
    expect(covered({}, { coverages: ['Collision'] })).toBe('garanties:collision');
    expect(covered({}, { thirdPartyCover: true })).toBe('couverture_tiers');
    expect(covered({ thirdPartyResponsible: false }, { thirdPartyCover: true })).toBe('NOT_COVERED');
    expect(covered({}, { civilLiabilityCover: true })).toBe('NOT_COVERED');
  });
  it('THEFT: garanties vol; FIRE: garanties incendie', () => {
    expect(covered({ claimType: 'THEFT' }, { coverages: [' Vol '] })).toBe('garanties:vol');
    expect(covered({ claimType: 'THEFT' }, { propertyDamageCover: true })).toBe('NOT_COVERED');
    expect(covered({ claimType: 'FIRE' }, { coverages: ['incendie'] })).toBe('garanties:incendie');
  });
  it('DAMAGE: couverture_dommage_materiel or garanties such as dégâts des eaux (accents and case ignored)', () => {
    expect(covered({ claimType: 'DAMAGE' }, { coverages: ['Dégâts des eaux'] })).toBe(
      'garanties:degats_des_eaux',
    );
    expect(covered({ claimType: 'DAMAGE' }, { propertyDamageCover: true })).toBe(
      'couverture_dommage_materiel',
    );
  });
  it('INJURY: garanties protection conducteur, or civil liability for someone the policyholder hurt', () => {
    expect(covered({ claimType: 'INJURY' }, { coverages: ['protection conducteur'] })).toBe(
      'garanties:protection_conducteur',
    );
    expect(
      covered({ claimType: 'INJURY', thirdPartyResponsible: false }, { civilLiabilityCover: true }),
    ).toBe('couverture_rc_civile');
    expect(covered({ claimType: 'INJURY', thirdPartyResponsible: true }, { civilLiabilityCover: true })).toBe(
      'NOT_COVERED',
    );
  });
  it('tous risques covers every type', () => {
    for (const claimType of ['COLLISION', 'THEFT', 'FIRE', 'DAMAGE', 'INJURY'])
      expect(covered({ claimType }, { coverages: ['Tous risques'] })).toBe('garanties:tous_risques');
  });
  it('coverageKey normalizes what people type', () => {
    expect(coverageKey('  Bris de  glace! ')).toBe('bris_de_glace');
  });
});

describe('the deductible', () => {
  it('franchise_tiers_collision for a collision with a responsible third party', () => {
    expect(assessClaim(claim(), contract({ propertyDamageCover: true }))).toMatchObject({
      deductibleKind: 'franchise_tiers_collision',
      deductible: '300.00',
    });
  });
  it('franchise_tiers otherwise: a collision without a responsible third party, any other type', () => {
    expect(
      assessClaim(claim({ thirdPartyResponsible: false }), contract({ propertyDamageCover: true })),
    ).toMatchObject({ deductibleKind: 'franchise_tiers', deductible: '150.00' });
    expect(
      assessClaim(claim({ thirdPartyResponsible: null }), contract({ propertyDamageCover: true })),
    ).toMatchObject({ deductibleKind: 'franchise_tiers' });
    expect(assessClaim(claim({ claimType: 'FIRE' }), contract({ coverages: ['incendie'] }))).toMatchObject({
      deductibleKind: 'franchise_tiers',
      deductible: '150.00',
    });
  });
  it('a contract stating no deductible: 0.00', () => {
    expect(
      assessClaim(claim(), contract({ propertyDamageCover: true, collisionDeductible: null })),
    ).toMatchObject({ deductible: '0.00' });
  });
});

const COVERED: Assessment = {
  outcome: 'COVERED',
  coverage: 'couverture_dommage_materiel',
  deductibleKind: 'franchise_tiers_collision',
  deductible: '300.00',
  reason: '...',
};

describe('proposalFor: everything claimed, less the deductible', () => {
  it('proposes the claimed amount and the deductible', () => {
    expect(proposalFor(COVERED, '1200.00')).toEqual({
      amountAccepted: '1200.00',
      deductibleApplied: '300.00',
      amountPaid: '900.00',
    });
  });
  it('caps the deductible at the amount (the client receives nothing)', () => {
    expect(proposalFor(COVERED, '200.00')).toEqual({
      amountAccepted: '200.00',
      deductibleApplied: '200.00',
      amountPaid: '0.00',
    });
  });
  it('proposes nothing when not covered', () => {
    expect(proposalFor({ outcome: 'NOT_COVERED', code: 'NO_COVERAGE', reason: 'x' }, '10.00')).toBeNull();
  });
});

describe('applyProposal: accepting, and the advisor override', () => {
  const pending = {
    status: 'PENDING',
    amountClaimed: '1200.00',
    amountAccepted: null,
    deductibleApplied: null,
  };
  it('accepting without amounts takes the proposal, no override', () => {
    expect(applyProposal(COVERED, pending, { status: 'ACCEPTED' }, undefined)).toEqual({
      patch: { status: 'ACCEPTED', amountAccepted: '1200.00', deductibleApplied: '300.00' },
      override: null,
      missingReason: null,
    });
  });
  it('the same amounts typed by hand are no override', () => {
    const d = applyProposal(
      COVERED,
      pending,
      { status: 'ACCEPTED', amountAccepted: '1200', deductibleApplied: '300' },
      undefined,
    );
    expect(d.override).toBeNull();
    expect(d.missingReason).toBeNull();
  });
  it('other amounts without a reason: missingReason names the proposal', () => {
    const d = applyProposal(COVERED, pending, { status: 'ACCEPTED', deductibleApplied: '0' }, undefined);
    expect(d.missingReason).toEqual({
      amountAccepted: '1200.00',
      deductibleApplied: '300.00',
      amountPaid: '900.00',
    });
  });
  it('other amounts with a reason: recorded as an override; a lower amount caps the deductible', () => {
    const d = applyProposal(COVERED, pending, { status: 'ACCEPTED', amountAccepted: '250.00' }, 'vétusté');
    expect(d.patch).toMatchObject({ amountAccepted: '250.00', deductibleApplied: '250.00' });
    expect(d.override).toEqual({
      reason: 'vétusté',
      proposed: expect.objectContaining({ amountAccepted: '1200.00' }),
    });
  });
  it('nothing to propose (UNKNOWN): the patch is left as it is', () => {
    const unknown: Assessment = { outcome: 'UNKNOWN', code: 'CONTRACT_UNKNOWN', reason: 'x' };
    expect(applyProposal(unknown, pending, { status: 'ACCEPTED' }, undefined)).toEqual({
      patch: { status: 'ACCEPTED' },
      override: null,
      missingReason: null,
    });
  });
  it('not an acceptance (payment, rejection, a PENDING edit): untouched', () => {
    const accepted = { ...pending, status: 'ACCEPTED', amountAccepted: '1000.00', deductibleApplied: '0.00' };
    expect(applyProposal(COVERED, accepted, { status: 'PAID' }, undefined).missingReason).toBeNull();
    expect(applyProposal(COVERED, pending, { amountClaimed: '10.00' }, undefined).patch).toEqual({
      amountClaimed: '10.00',
    });
  });
});
