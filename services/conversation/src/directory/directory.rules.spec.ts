import {
  clientStatusValue,
  contractStatusValue,
  contractTypeValue,
  engineClaimType,
  isClaimStatus,
  matriculeKey,
} from './directory.rules';

describe('directory rules', () => {
  it('keys a matricule whatever its spelling', () => {
    expect(matriculeKey('AB-123-CD')).toBe('AB123CD');
    expect(matriculeKey(' ab 123 cd ')).toBe('AB123CD');
    expect(matriculeKey('ab_123/cd')).toBe('AB123CD');
    expect(matriculeKey('---')).toBe('');
  });

  it("stores identity's values as the seed's", () => {
    expect(clientStatusValue('ACTIVE')).toBe('actif');
    expect(clientStatusValue('INACTIVE')).toBe('inactif');
    expect(['AUTO', 'HOME', 'OTHER'].map((t) => contractTypeValue(t as 'AUTO'))).toEqual([
      'auto',
      'habitation',
      'autre',
    ]);
    expect(['ACTIVE', 'SUSPENDED', 'TERMINATED'].map((s) => contractStatusValue(s as 'ACTIVE'))).toEqual([
      'actif',
      'suspendu',
      'résilié',
    ]);
  });

  it("reads claims' types and statuses for the engine", () => {
    expect(['COLLISION', 'THEFT', 'FIRE', 'DAMAGE', 'INJURY', 'FLOOD'].map(engineClaimType)).toEqual([
      'collision',
      'vol',
      'incendie',
      'degats',
      'blessure',
      null,
    ]);
    expect(isClaimStatus('AWAITING_CLIENT')).toBe(true);
    expect(isClaimStatus('nouveau')).toBe(false);
  });
});
