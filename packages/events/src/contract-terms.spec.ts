import { optionalContractTerms } from './contract-terms';

describe('optionalContractTerms', () => {
  it('keeps every term that is given, false and a zero deductible included', () => {
    const given = {
      expiresOn: '2027-03-31',
      thirdPartyDeductible: '150.00',
      collisionDeductible: '0',
      propertyDamageCover: false,
      thirdPartyCover: true,
      civilLiabilityCover: false,
    };
    expect(optionalContractTerms(given)).toEqual(given);
  });

  it('turns a term left out, or given as null, into null, and keeps nothing else', () => {
    const terms = optionalContractTerms({
      thirdPartyCover: null,
      ...({ contractNumber: 'CT-2026-7KQ2MX9P', matricule: 'AB-123-CD' } as object),
    });
    expect(terms).toEqual({
      expiresOn: null,
      thirdPartyDeductible: null,
      collisionDeductible: null,
      propertyDamageCover: null,
      thirdPartyCover: null,
      civilLiabilityCover: null,
    });
    expect(Object.keys(terms)).toHaveLength(6);
  });
});
